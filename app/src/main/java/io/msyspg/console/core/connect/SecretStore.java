package io.msyspg.console.core.connect;

import java.util.Optional;

/**
 * Where passwords live, never in plain text: the OS keyring ({@link KeyringSecretStore}) or the console's
 * encrypted file ({@link EncryptedFileSecretStore}). Secrets travel as {@code char[]}; callers clear them.
 */
public interface SecretStore {
    /** Short name for the UI ("OS keyring", "encrypted file"). */
    String name();

    /** True when the store can be used on this machine now. */
    boolean available();

    /** Why {@link #available()} is false (one sentence), or null. */
    String unavailableReason();

    Optional<char[]> get(String key);

    void put(String key, char[] secret);

    void delete(String key);
}
