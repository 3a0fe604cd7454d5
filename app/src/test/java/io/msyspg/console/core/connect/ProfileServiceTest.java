package io.msyspg.console.core.connect;

import io.msyspg.console.core.settings.SettingsStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProfileServiceTest {
    @TempDir Path dir;

    @Test
    void createEditDuplicateDeleteWithoutThePasswordInTheSettingsFile() throws Exception {
        SettingsStore store = new SettingsStore(dir.resolve("settings.json"));
        EncryptedFileSecretStore file = new EncryptedFileSecretStore(dir.resolve("secrets.json"), 1000);
        KeyringSecretStore keyring = new KeyringSecretStore();
        ProfileService ps = new ProfileService(store, new SecretStores(keyring, file));
        file.unlock("m".toCharArray());

        ConnectionProfile p = ConnectionProfile.of("Prod", "db.example.com", 5432, "ecelerity", "ecuser");
        p.passwordStorage = ConnectionProfile.PasswordStorage.ENCRYPTED_FILE;
        ConnectionProfile saved = ps.save(p, "Very-Secret-1".toCharArray());
        assertThat(Files.readString(store.file())).contains("db.example.com").doesNotContain("Very-Secret-1");
        assertThat(Files.readString(file.file())).doesNotContain("Very-Secret-1");
        assertThat(new String(file.get(saved.secretKey()).orElseThrow())).isEqualTo("Very-Secret-1");

        saved.port = 5433;
        ps.save(saved, null);
        assertThat(new SettingsStore(store.file()).get(ConnectionSettings.class).profiles).singleElement()
                .satisfies(x -> assertThat(x.port).isEqualTo(5433));

        ConnectionProfile copy = ps.duplicate(saved);
        ConnectionProfile copy2 = ps.duplicate(saved);
        assertThat(copy.name).isEqualTo("Prod (copy)");
        assertThat(copy2.name).isEqualTo("Prod (copy 2)");
        assertThat(new String(file.get(copy.secretKey()).orElseThrow())).isEqualTo("Very-Secret-1");

        assertThatThrownBy(() -> ps.save(ConnectionProfile.of("prod", "h", 5432, "d", "u"), null))
                .hasMessage("Another profile is already named 'Prod'.");
        assertThatThrownBy(() -> ps.save(ConnectionProfile.of("x", "h", 70000, "d", "u"), null))
                .hasMessageContaining("between 1 and 65535");

        ps.delete(copy);
        assertThat(file.get(copy.secretKey())).isEmpty();
        assertThat(ps.list()).extracting(x -> x.name).containsExactly("Prod", "Prod (copy 2)");

        // switching to "ask every time" forgets the stored password
        saved.passwordStorage = ConnectionProfile.PasswordStorage.ASK;
        ps.save(saved, null);
        assertThat(file.get(saved.secretKey())).isEmpty();
        assertThat(Files.readString(store.file())).doesNotContain("Very-Secret-1");
    }
}
