package io.msyspg.console.ui.common;

import java.util.Optional;

/**
 * The one way to show dialogs. Every message names the thing that is wrong; technical detail (the cause
 * chain, never a raw stack trace) sits in an expandable section. Tests replace it with a recording one.
 */
public interface DialogService {
    void showError(String title, Throwable error);

    void showError(String title, String message, String details);

    void showInfo(String title, String message);

    /** A yes/no question; {@code confirmLabel} names the action ("Stop server"). */
    boolean confirm(String title, String message, String confirmLabel);

    /** Asks the user to type {@code expected} (a database name) before a destructive action. */
    boolean confirmByTyping(String title, String message, String expected);

    /** Asks for a secret; the result is never stored or logged by the dialog. */
    Optional<char[]> askPassword(String title, String message);
}
