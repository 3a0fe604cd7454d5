package io.msyspg.console.core.connect;

import io.msyspg.console.core.common.AppDirs;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The secret stores of this machine and which one a profile uses: the OS keyring when it works here,
 * otherwise the encrypted file; "ask every time" stores nothing.
 */
public final class SecretStores {
    private static final Logger log = LoggerFactory.getLogger(SecretStores.class);

    private final SecretStore keyring;
    private final EncryptedFileSecretStore file;

    public SecretStores(SecretStore keyring, EncryptedFileSecretStore file) {
        this.keyring = keyring;
        this.file = file;
    }

    public static SecretStores open(AppDirs dirs) {
        return new SecretStores(new KeyringSecretStore(), EncryptedFileSecretStore.open(dirs));
    }

    public SecretStore keyring() { return keyring; }

    public EncryptedFileSecretStore file() { return file; }

    /** The storage offered by default for a new profile (probes the keyring: call off the FX thread). */
    public ConnectionProfile.PasswordStorage preferred() {
        return keyring.available() ? ConnectionProfile.PasswordStorage.KEYRING : ConnectionProfile.PasswordStorage.ENCRYPTED_FILE;
    }

    /** The store of a storage choice; null for ASK and NONE (nothing is stored). */
    public SecretStore forStorage(ConnectionProfile.PasswordStorage s) {
        return switch (s) {
            case KEYRING -> keyring;
            case ENCRYPTED_FILE -> file;
            case ASK, NONE -> null;
        };
    }

    /** True when reading {@code s} needs the master password first. */
    public boolean needsUnlock(ConnectionProfile.PasswordStorage s) {
        return s == ConnectionProfile.PasswordStorage.ENCRYPTED_FILE && !file.isUnlocked();
    }

    /** Removes a secret from every store (profile deleted, or switched to "ask every time"). */
    public void forgetEverywhere(String key) {
        try {
            file.delete(key);
        } catch (RuntimeException e) {
            log.warn("could not remove {} from the secret file: {}", key, e.getMessage());
        }
        try {
            if (keyring.available()) keyring.delete(key);
        } catch (RuntimeException e) {
            log.warn("could not remove {} from the keyring: {}", key, e.getMessage());
        }
    }
}
