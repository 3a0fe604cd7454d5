package io.msyspg.console.core.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ConfigFilesTest {
    @Test
    void followsIncludesInServerOrder(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("conf.d"));
        Files.writeString(dir.resolve("postgresql.conf"), """
                # main
                port = 5432
                include 'extra.conf'
                include_if_exists = 'missing.conf'
                include_dir 'conf.d'
                include 'nope.conf'
                """);
        Files.writeString(dir.resolve("extra.conf"), "log_directory = 'pg_log'   # comment\n");
        Files.writeString(dir.resolve("conf.d/20-b.conf"), "work_mem = '8MB'\n");
        Files.writeString(dir.resolve("conf.d/10-a.conf"), "work_mem = 4MB\ninclude '../postgresql.conf'\n");
        Files.writeString(dir.resolve("conf.d/.hidden.conf"), "work_mem = 1MB\n");
        Files.writeString(dir.resolve("postgresql.auto.conf"), "log_filename = 'it''s.log'\n");
        List<ConfigFiles.ConfigFile> files = ConfigFiles.read(dir.resolve("postgresql.conf"), dir);
        assertThat(files).extracting(f -> dir.relativize(f.path()).toString())
                .containsExactly("postgresql.conf", "extra.conf", "conf.d/10-a.conf", "postgresql.conf", "conf.d/20-b.conf",
                        "nope.conf", "postgresql.auto.conf");
        assertThat(files.get(3).error()).contains("included twice");
        assertThat(files.get(5).error()).isEqualTo("file does not exist");
        assertThat(files.get(5).includedFrom()).endsWith("postgresql.conf:6");
        assertThat(ConfigFiles.simpleSetting(dir, "work_mem")).contains("8MB");
        assertThat(ConfigFiles.simpleSetting(dir, "log_directory")).contains("pg_log");
        assertThat(ConfigFiles.simpleSetting(dir, "log_filename")).contains("it's.log");
    }
}
