package io.msyspg.console.core.connect;

import io.msyspg.console.core.common.ConsoleException;
import io.msyspg.console.core.common.FilePermissions;
import io.msyspg.console.core.settings.SettingsStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SecretStoreTest {
    @TempDir Path dir;

    @Test
    void encryptedFileRoundTripWrongMasterAndOwnerOnly() throws Exception {
        Path f = dir.resolve("secrets.json");
        EncryptedFileSecretStore s = new EncryptedFileSecretStore(f);
        assertThatThrownBy(() -> s.put("k", "x".toCharArray())).hasMessageContaining("locked");
        s.unlock("master-pw".toCharArray());
        s.put("profile:1", "pässwörd-42".toCharArray());
        assertThat(new String(s.get("profile:1").orElseThrow())).isEqualTo("pässwörd-42");
        String content = Files.readString(f);
        assertThat(content).doesNotContain("pässwörd-42").doesNotContain("master-pw").contains("\"iterations\" : 600000");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).isEqualTo("rw-------");
        assertThat(FilePermissions.groupOrWorldAccessible(f)).isFalse();

        EncryptedFileSecretStore again = new EncryptedFileSecretStore(f);
        assertThatThrownBy(() -> again.unlock("wrong".toCharArray())).isInstanceOf(ConsoleException.class)
                .hasMessage("Wrong master password for the console's secret store " + f + ".");
        again.unlock("master-pw".toCharArray());
        assertThat(new String(again.get("profile:1").orElseThrow())).isEqualTo("pässwörd-42");

        // a value moved to another entry does not decrypt (the name is authenticated)
        var mapper = SettingsStore.mapper();
        var model = mapper.readValue(f.toFile(), EncryptedFileSecretStore.FileModel.class);
        model.entries.put("profile:2", model.entries.get("profile:1"));
        mapper.writeValue(f.toFile(), model);
        assertThatThrownBy(() -> again.get("profile:2")).hasMessageContaining("cannot be decrypted");

        // deleting needs no master password
        new EncryptedFileSecretStore(f).delete("profile:1");
        assertThat(again.get("profile:1")).isEmpty();
    }

    @Test
    void keyringUnavailableHereFallsBackToTheEncryptedFile() {
        KeyringSecretStore k = new KeyringSecretStore();
        SecretStores stores = new SecretStores(k, new EncryptedFileSecretStore(dir.resolve("s.json"), 1000));
        if (k.available()) {
            // a desktop with a Secret Service: round trip through it
            k.put("msyspg-test", "v".toCharArray());
            assertThat(new String(k.get("msyspg-test").orElseThrow())).isEqualTo("v");
            k.delete("msyspg-test");
            assertThat(stores.preferred()).isEqualTo(ConnectionProfile.PasswordStorage.KEYRING);
        } else {
            assertThat(k.unavailableReason()).isNotBlank();
            assertThat(stores.preferred()).isEqualTo(ConnectionProfile.PasswordStorage.ENCRYPTED_FILE);
            assertThatThrownBy(() -> k.put("x", "y".toCharArray())).isInstanceOf(ConsoleException.class);
        }
    }
}
