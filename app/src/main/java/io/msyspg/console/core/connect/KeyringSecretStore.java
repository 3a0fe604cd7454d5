package io.msyspg.console.core.connect;

import com.github.javakeyring.Keyring;
import com.github.javakeyring.PasswordAccessException;
import io.msyspg.console.core.common.ConsoleException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The OS secret store through java-keyring (Secret Service on Linux, Keychain on macOS, Credential Manager on
 * Windows). Availability is probed once, with a time limit (a missing or locked D-Bus session can hang),
 * including a write/read/delete round trip; when it fails the console falls back to its encrypted file.
 */
public final class KeyringSecretStore implements SecretStore {
    private static final Logger log = LoggerFactory.getLogger(KeyringSecretStore.class);
    static final String SERVICE = "msyspg-console";

    private volatile Keyring keyring;
    private volatile String reason;
    private volatile boolean probed;

    @Override public String name() { return "OS keyring"; }

    @Override public boolean available() {
        probe();
        return keyring != null;
    }

    @Override public String unavailableReason() {
        probe();
        return reason;
    }

    private synchronized void probe() {
        if (probed) return;
        probed = true;
        if (Boolean.getBoolean("msyspg.keyring.disabled")) {
            reason = "The OS keyring is disabled (msyspg.keyring.disabled).";
            return;
        }
        if (isLinux() && blank(System.getenv("DBUS_SESSION_BUS_ADDRESS")) && blank(System.getenv("XDG_RUNTIME_DIR"))) {
            reason = "No desktop session bus (DBUS_SESSION_BUS_ADDRESS is not set), so no Secret Service keyring is reachable.";
            log.info("keyring unavailable: {}", reason);
            return;
        }
        try {
            Keyring k = CompletableFuture.supplyAsync(() -> {
                try {
                    Keyring kr = Keyring.create();
                    String probeKey = "probe-" + System.nanoTime();
                    kr.setPassword(SERVICE, probeKey, "probe");
                    boolean ok = "probe".equals(kr.getPassword(SERVICE, probeKey));
                    kr.deletePassword(SERVICE, probeKey);
                    if (!ok) throw new IllegalStateException("the keyring returned another value than was stored");
                    return kr;
                } catch (Exception e) {
                    throw new IllegalStateException(e.getMessage() == null ? e.toString() : e.getMessage(), e);
                }
            }).get(5, TimeUnit.SECONDS);
            keyring = k;
            log.info("OS keyring available");
        } catch (java.util.concurrent.TimeoutException e) {
            reason = "The OS keyring did not answer within 5 s.";
        } catch (Exception | LinkageError e) {
            Throwable c = e.getCause() != null ? e.getCause() : e;
            reason = "The OS keyring cannot be used here (" + c.getMessage() + ").";
        }
        if (reason != null) log.info("keyring unavailable: {}", reason);
    }

    private static boolean isLinux() {
        return System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("linux");
    }

    private static boolean blank(String s) { return s == null || s.isBlank(); }

    private Keyring require() {
        if (!available()) throw new ConsoleException(reason);
        return keyring;
    }

    @Override public Optional<char[]> get(String key) {
        try {
            String v = require().getPassword(SERVICE, key);
            return v == null ? Optional.empty() : Optional.of(v.toCharArray());
        } catch (PasswordAccessException e) {
            return Optional.empty();
        }
    }

    @Override public void put(String key, char[] secret) {
        try {
            require().setPassword(SERVICE, key, new String(secret));
        } catch (PasswordAccessException e) {
            throw new ConsoleException("Could not store the password in the OS keyring: " + e.getMessage(), e);
        }
    }

    @Override public void delete(String key) {
        if (!available()) return;
        try {
            keyring.deletePassword(SERVICE, key);
        } catch (PasswordAccessException e) {
            log.debug("keyring delete of {}: {}", key, e.getMessage());
        }
    }
}
