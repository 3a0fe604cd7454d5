package io.msyspg.console.core.logs;

import io.msyspg.console.core.cluster.PgBinaries;
import io.msyspg.console.core.cluster.PgCluster;
import io.msyspg.console.core.task.JobContext;
import io.msyspg.console.testsupport.TestPg;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * A real server writing with a translated lc_messages (German, French, Russian; the system PostgreSQL 15 and its
 * message catalogues): stderr, csvlog and jsonlog records get their levels, details and hints, and keep the word as
 * written. The OS locale must exist for the server to switch: it is generated with localedef when missing (root),
 * else the language is skipped (reported as skipped, not passed).
 */
class LogTranslatedRealServerTest {
    static PgCluster cluster;
    static int phase;

    @BeforeAll
    static void start() {
        cluster = PgCluster.builder(PgBinaries.system()).superuser(TestPg.SUPERUSER).password(TestPg.PASSWORD)
                .setting("log_destination", "'stderr,csvlog,jsonlog'").start();
    }

    @AfterAll
    static void stop() {
        if (cluster != null) cluster.close();
    }

    static boolean localeAvailable(String locale) throws Exception {
        String want = locale.toLowerCase().replace("utf-8", "utf8");
        if (installed().contains(want)) return true;
        if (Files.isExecutable(Path.of("/usr/bin/localedef")) && "root".equals(System.getProperty("user.name"))) {
            String[] p = locale.split("\\.");
            new ProcessBuilder("/usr/bin/localedef", "-i", p[0], "-f", "UTF-8", locale).redirectErrorStream(true).start().waitFor();
        }
        return installed().contains(want);
    }

    static String installed() throws Exception {
        Process p = new ProcessBuilder("locale", "-a").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes()).toLowerCase();
        p.waitFor();
        return out;
    }

    @ParameterizedTest
    @CsvSource({
            "de_DE.UTF-8, FEHLER, WARNUNG, LOG",
            "fr_FR.UTF-8, ERREUR, ATTENTION, LOG",
            "ru_RU.UTF-8, ОШИБКА, ПРЕДУПРЕЖДЕНИЕ, СООБЩЕНИЕ"})
    void translatedServerLogsGetTheirLevels(String locale, String errorWord, String warningWord, String logWord) throws Exception {
        assumeThat(localeAvailable(locale)).as("OS locale " + locale + " (localedef or locales-all)").isTrue();
        String base = "lang" + (++phase);
        try (Connection c = cluster.connect("postgres"); Statement s = c.createStatement()) {
            s.execute("ALTER SYSTEM SET log_line_prefix = '%m [%p] '");
            s.execute("ALTER SYSTEM SET log_filename = '" + base + ".log'");
            s.execute("SELECT pg_reload_conf()");
            Thread.sleep(400);
            s.execute("SELECT pg_rotate_logfile()");
            Thread.sleep(200);
            s.execute("SET lc_messages = '" + locale + "'");
            s.execute("DO $$ BEGIN RAISE LOG 'mark-log'; END $$");
            try {
                s.execute("DO $$ BEGIN RAISE EXCEPTION 'mark-error' USING DETAIL = 'the detail', HINT = 'the hint'; END $$");
            } catch (java.sql.SQLException expected) {
                // logged by the server, translated
            }
            s.execute("DO $$ BEGIN RAISE WARNING 'mark-warning'; END $$");
            Thread.sleep(300);
        }
        LocalLogSource src = LocalLogSource.open(cluster.logDir());
        for (LogFormat f : LogFormat.values()) {
            String file = base + switch (f) { case STDERR -> ".log"; case CSV -> ".csv"; case JSON -> ".json"; };
            LogDocument doc = new LogDocument(src, f, f == LogFormat.STDERR ? LinePrefix.compile("%m [%p] ") : null);
            doc.load(file, JobContext.none());
            List<LogRecord> recs = new ArrayList<>();
            for (int i = 0; i < doc.index().size(); i++) recs.add(doc.record(i));
            String where = locale + " " + f + " " + recs;
            // stderr and csvlog carry the translated word; jsonlog keeps the English one (seen on PostgreSQL 15)
            boolean translated = f != LogFormat.JSON;
            assertThat(String.join("\n", recs.stream().map(LogRecord::raw).toList())).as("the server really wrote " + errorWord)
                    .contains(translated ? errorWord : "\"error_severity\":\"ERROR\"");
            LogRecord err = find(recs, "mark-error");
            LogRecord warn = find(recs, "mark-warning");
            LogRecord log = find(recs, "mark-log");
            assertThat(err.severity()).as(where).isEqualTo(LogSeverity.ERROR);
            assertThat(err.field("severity_word")).as(where).isEqualTo(translated ? errorWord : null);
            assertThat(err.field("detail")).as(where).isEqualTo("the detail");
            assertThat(err.field("hint")).as(where).isEqualTo("the hint");
            assertThat(warn.severity()).as(where).isEqualTo(LogSeverity.WARNING);
            assertThat(warn.field("severity_word")).as(where).isEqualTo(translated ? warningWord : null);
            if (translated && !logWord.equals("LOG")) assertThat(log.field("severity_word")).as(where).isEqualTo(logWord);
            assertThat(log.severity()).as(where).isEqualTo(LogSeverity.LOG);
            // the index (filters, colours, histogram) agrees with the parser record by record
            for (int i = 0; i < recs.size(); i++) assertThat(doc.index().severity(i)).as(where + " #" + i).isEqualTo(recs.get(i).severity());
            if (f == LogFormat.STDERR) {
                // DETAIL, HINT and the statement lines belong to the error record, not records of their own
                assertThat(err.raw().lines().count()).as(where).isGreaterThanOrEqualTo(3);
                assertThat(recs.stream().filter(r -> r.severity() == LogSeverity.UNKNOWN).toList()).as(where).isEmpty();
            }
        }
    }

    static LogRecord find(List<LogRecord> recs, String mark) {
        return recs.stream().filter(r -> r.message().contains(mark)).findFirst()
                .orElseThrow(() -> new AssertionError(mark + " not in " + recs));
    }
}
