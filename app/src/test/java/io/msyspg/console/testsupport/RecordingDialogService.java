package io.msyspg.console.testsupport;

import io.msyspg.console.core.common.ConsoleException;
import io.msyspg.console.ui.common.DialogService;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A DialogService for GUI tests: records what would have been shown and answers questions as told, so a
 * test can assert on the message the admin would read.
 */
public final class RecordingDialogService implements DialogService {
    public record Shown(String kind, String title, String message, String details) {}

    public final List<Shown> shown = new CopyOnWriteArrayList<>();
    public volatile boolean confirmAnswer = true;
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
        shown.add(new Shown("confirmByTyping", title, message, expected));
        return confirmAnswer;
    }

    @Override public Optional<char[]> askPassword(String title, String message) {
        shown.add(new Shown("password", title, message, null));
        return Optional.ofNullable(passwordAnswer == null ? null : passwordAnswer.clone());
    }

    public List<Shown> errors() {
        return shown.stream().filter(s -> s.kind().equals("error")).toList();
    }
}
