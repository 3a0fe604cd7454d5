package io.msyspg.console.core.cluster;

import io.msyspg.console.testsupport.TestPg;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PgClusterTest {

    private static Map<String, String> settings(Connection c) throws Exception {
        Map<String, String> m = new HashMap<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT name, setting FROM pg_settings WHERE name IN ('logging_collector','log_directory','log_filename','log_rotation_size','listen_addresses')")) {
            while (rs.next()) m.put(rs.getString(1), rs.getString(2));
        }
        return m;
    }

    @Test
    void sharedClusterRunsWithMomentumLoggingAndWritesPgLog() throws Exception {
        PgCluster c = TestPg.shared();
        assertThat(c.isRunning()).isTrue();
        try (Connection conn = c.connect("postgres")) {
            Map<String, String> s = settings(conn);
            assertThat(s).containsEntry("logging_collector", "on")
                    .containsEntry("log_directory", "pg_log")
                    .containsEntry("log_filename", "postgresql-%Y-%m-%d-%M.log")
                    .containsEntry("log_rotation_size", String.valueOf(100 * 1024))   // kB
                    .containsEntry("listen_addresses", "127.0.0.1");
        }
        try (var files = Files.list(c.logDir())) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .anyMatch(n -> n.matches("postgresql-\\d{4}-\\d{2}-\\d{2}-\\d{2}\\.log"));
        }
    }

    @Test
    void tcpNeedsThePassword() {
        PgCluster c = TestPg.shared();
        assertThatThrownBy(() -> java.sql.DriverManager.getConnection(c.jdbcUrl("postgres"), "postgres", "wrong"))
                .hasMessageContaining("password authentication failed");
    }

    @Test
    void privateClusterStopsStartsAndIsDeletedOnClose() throws Exception {
        PgCluster c = TestPg.privateCluster();
        var base = c.baseDir();
        c.stop(PgCluster.StopMode.FAST);
        assertThat(c.isRunning()).isFalse();
        c.start();
        try (Connection conn = c.connect("postgres"); Statement s = conn.createStatement(); ResultSet rs = s.executeQuery("SELECT 1")) {
            assertThat(rs.next()).isTrue();
        }
        c.close();
        assertThat(base).doesNotExist();
    }

    @Test
    void olderMajorFromZonkyBinaries() throws Exception {
        PgCluster c = TestPg.major(13);
        assertThat(c.version().major()).isEqualTo(13);
        try (Connection conn = c.connect("postgres"); Statement s = conn.createStatement();
             ResultSet rs = s.executeQuery("SELECT current_setting('server_version_num')::int / 10000")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(13);
        }
    }

    @Test
    void staleClusterOfADeadJvmIsReaped() throws Exception {
        PgCluster c = TestPg.privateCluster();
        var base = c.baseDir();
        // pretend the owning JVM died: point the owner file at a pid that cannot be alive
        Files.writeString(base.resolve("owner"), "999999999");
        PgCluster.reapStale();
        assertThat(base).doesNotExist();
        assertThat(c.isRunning()).isFalse();
    }
}
