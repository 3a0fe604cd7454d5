package io.msyspg.console.core.settings;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;

class SettingsStoreTest {
    @TempDir Path dir;

    @Test
    void sectionsRoundTripAndFileIsOwnerOnly() throws Exception {
        Path file = dir.resolve("settings.json");
        SettingsStore s = new SettingsStore(file);
        AppearanceSettings a = s.get(AppearanceSettings.class);
        assertThat(a.theme).isEqualTo(AppearanceSettings.Theme.LIGHT);
        a.theme = AppearanceSettings.Theme.DARK;
        a.windowWidth = 1111;
        s.put(a);
        ToolSettings t = s.get(ToolSettings.class);
        t.toolsDir = "/opt/msys/3rdParty/bin";
        s.put(t);

        SettingsStore again = new SettingsStore(file);
        assertThat(again.get(AppearanceSettings.class).theme).isEqualTo(AppearanceSettings.Theme.DARK);
        assertThat(again.get(AppearanceSettings.class).windowWidth).isEqualTo(1111);
        assertThat(again.get(ToolSettings.class).toolsDir).isEqualTo("/opt/msys/3rdParty/bin");
        assertThat(again.problems()).isEmpty();
        assertThat(Files.readString(file)).contains("\"appearance\"").contains("\"tools\"");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    @Test
    void corruptFileIsSetAsideReportedAndReplacedByDefaults() throws Exception {
        Path file = dir.resolve("settings.json");
        Files.writeString(file, "{ \"appearance\": { \"theme\": \"DARK\", ");   // truncated JSON
        SettingsStore s = new SettingsStore(file);
        assertThat(s.problems()).hasSize(1);
        assertThat(s.problems().get(0)).contains(file.toString()).contains("moved to");
        assertThat(s.get(AppearanceSettings.class).theme).isEqualTo(AppearanceSettings.Theme.LIGHT);
        try (var files = Files.list(dir)) {
            Path aside = files.filter(p -> p.getFileName().toString().startsWith("settings.json.corrupt-")).findFirst().orElseThrow();
            assertThat(Files.readString(aside)).startsWith("{ \"appearance\"");   // the admin's file is kept as it was
        }
        s.put(s.get(AppearanceSettings.class));
        assertThat(new SettingsStore(file).problems()).isEmpty();
    }

    @Test
    void invalidSectionFallsBackToDefaultsWithoutLosingOthers() throws Exception {
        Path file = dir.resolve("settings.json");
        Files.writeString(file, "{\"appearance\": {\"theme\": \"PURPLE\"}, \"tools\": {\"toolsDir\": \"/x\"}}");
        SettingsStore s = new SettingsStore(file);
        assertThat(s.get(AppearanceSettings.class).theme).isEqualTo(AppearanceSettings.Theme.LIGHT);
        assertThat(s.problems()).anyMatch(p -> p.contains("'appearance'"));
        assertThat(s.get(ToolSettings.class).toolsDir).isEqualTo("/x");
    }

    @Test
    void nonObjectTopLevelIsTreatedAsCorrupt() throws Exception {
        Path file = dir.resolve("settings.json");
        Files.writeString(file, "[1,2,3]");
        assertThat(new SettingsStore(file).problems()).singleElement().asString().contains("not a JSON object");
    }
}
