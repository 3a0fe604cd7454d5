package io.msyspg.console.testsupport;

import io.msyspg.console.core.common.ConsoleException;
import io.msyspg.console.ui.common.DialogService;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The DialogService of GUI tests: records what the admin would have been shown and answers questions as
 * told, so a test can assert on the exact message. The one test double for dialogs: every GUI test uses it.
 */
public final class RecordingDialogService implements DialogService {
    public record Shown(String kind, String title, String message, String details) {
        /** "kind: title: message". */
        public String line() { return kind + ": " + title + ": " + message; }
    }

    public final List<Shown> shown = new CopyOnWriteArrayList<>();
    /** The answer to {@link #confirm}. */
    public volatile boolean confirmAnswer = true;
    /** The answer to {@link #confirmByTyping} (the user typed the name, or cancelled). */
    public volatile boolean typedAnswer = true;
    /** What {@link #askPassword} returns (a copy); null means the user cancelled. */
    public volatile char[] passwordAnswer;

    @Override public void showError(String title, Throwable error) {
        shown.add(new Shown("error", title, ConsoleException.userMessage(error), ConsoleException.causeChain(error)));
    }

    @Override public void showError(String title, String message, String details) {
        shown.add(new Shown("error", title, message, details));
    }

    @Override public void showInfo(String title, String message) {
        shown.add(new Shown("info", title, message, null));
    }

    @Override public boolean confirm(String title, String message, String confirmLabel) {
        shown.add(new Shown("confirm", title, message, confirmLabel));
        return confirmAnswer;
    }

    @Override public boolean confirmByTyping(String title, String message, String expected) {
        shown.add(new Shown("typed", title, message, expected));
        return typedAnswer;
    }

    @Override public Optional<char[]> askPassword(String title, String message) {
        shown.add(new Shown("password", title, message, null));
        char[] a = passwordAnswer;
        return Optional.ofNullable(a == null ? null : a.clone());
    }

    private List<Shown> of(String kind) {
        return shown.stream().filter(s -> s.kind().equals(kind)).toList();
    }

    /** Errors as "title: message". */
    public List<String> errors() {
        return of("error").stream().map(s -> s.title() + ": " + s.message()).toList();
    }

    /** Errors with their details (the expandable part). */
    public List<Shown> errorsShown() { return of("error"); }

    /** The messages of yes/no confirmations. */
    public List<String> confirms() { return of("confirm").stream().map(Shown::message).toList(); }

    /** Typed confirmations as "expected | message". */
    public List<String> typedConfirmations() { return of("typed").stream().map(s -> s.details() + " | " + s.message()).toList(); }

    /** The titles of password prompts. */
    public List<String> passwordPrompts() { return of("password").stream().map(Shown::title).toList(); }

    /** Everything shown, as "kind: title: message" lines. */
    public List<String> lines() { return shown.stream().map(Shown::line).toList(); }
}
