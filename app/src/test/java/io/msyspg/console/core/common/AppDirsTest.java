package io.msyspg.console.core.common;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class AppDirsTest {
    @Test
    void followsXdgDefaults() {
        AppDirs d = AppDirs.from(Map.of(), null, Path.of("/home/ann"));
        assertThat(d.config()).isEqualTo(Path.of("/home/ann/.config/msyspg-console"));
        assertThat(d.state()).isEqualTo(Path.of("/home/ann/.local/state/msyspg-console"));
        assertThat(d.cache()).isEqualTo(Path.of("/home/ann/.cache/msyspg-console"));
        assertThat(d.logs()).isEqualTo(Path.of("/home/ann/.local/state/msyspg-console/logs"));
    }

    @Test
    void honoursXdgVariablesButIgnoresRelativeOnes() {
        AppDirs d = AppDirs.from(Map.of("XDG_CONFIG_HOME", "/cfg", "XDG_STATE_HOME", "relative/state"), null, Path.of("/home/ann"));
        assertThat(d.config()).isEqualTo(Path.of("/cfg/msyspg-console"));
        assertThat(d.state()).isEqualTo(Path.of("/home/ann/.local/state/msyspg-console"));
    }

    @Test
    void singleHomeOverridesEverything() {
        AppDirs d = AppDirs.from(Map.of("MSYSPG_CONSOLE_HOME", "/portable", "XDG_CONFIG_HOME", "/cfg"), null, Path.of("/home/ann"));
        assertThat(d.config()).isEqualTo(Path.of("/portable/config"));
        AppDirs p = AppDirs.from(Map.of("MSYSPG_CONSOLE_HOME", "/portable"), "/prop", Path.of("/home/ann"));
        assertThat(p.state()).isEqualTo(Path.of("/prop/state"));
    }
}
