package io.msyspg.console.core.connect;

import io.msyspg.console.core.common.ConsoleException;

/** A connection attempt that failed, classified by {@link ConnectionErrors}: one clear sentence plus the kind. */
public final class ConnectionFailure extends ConsoleException {
    public enum Kind {
        REFUSED, TIMEOUT, UNKNOWN_HOST, AUTH_FAILED, PASSWORD_REQUIRED, NOT_ALLOWED, DATABASE_MISSING,
        SSL_REQUIRED, SSL_UNSUPPORTED, TOO_MANY_CONNECTIONS, SERVER_NOT_READY, OTHER
    }

    private final Kind kind;

    public ConnectionFailure(Kind kind, String message, String detail, Throwable cause) {
        super(message, detail, cause);
        this.kind = kind;
    }

    public Kind kind() { return kind; }
}
