package io.msyspg.console.core.common;

/**
 * A failure the admin can act on: {@link #getMessage()} is one clear sentence that names the thing that is
 * wrong (the file and line, the server and port, the role…); {@link #detail()} is optional technical
 * detail for the expandable part of a dialog or for {@code --verbose}. Never carries a secret.
 */
public class ConsoleException extends RuntimeException {
    private final String detail;

    public ConsoleException(String message) {
        this(message, null, null);
    }

    public ConsoleException(String message, Throwable cause) {
        this(message, null, cause);
    }

    public ConsoleException(String message, String detail, Throwable cause) {
        super(message, cause);
        this.detail = detail;
    }

    public String detail() {
        return detail;
    }

    /** The message to show for any throwable: ours as is, others reduced to their innermost useful message. */
    public static String userMessage(Throwable t) {
        if (t instanceof ConsoleException) return t.getMessage();
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            if (root instanceof ConsoleException) return root.getMessage();
            root = root.getCause();
        }
        if (root instanceof ConsoleException) return root.getMessage();
        String m = t.getMessage() != null ? t.getMessage() : root.getMessage();
        return m != null && !m.isBlank() ? m : t.getClass().getSimpleName();
    }

    /** The cause chain as "Type: message" lines: technical detail without a raw stack trace. */
    public static String causeChain(Throwable t) {
        StringBuilder sb = new StringBuilder();
        if (t instanceof ConsoleException ce && ce.detail() != null) sb.append(ce.detail()).append('\n');
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            sb.append(c.getClass().getName()).append(": ").append(c.getMessage()).append('\n');
        }
        return sb.toString().strip();
    }
}
