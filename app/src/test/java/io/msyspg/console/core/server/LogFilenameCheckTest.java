package io.msyspg.console.core.server;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LogFilenameCheckTest {
    @Test
    void momentumPatternRepeatsEveryHourAndOverrunsSizeRotation() {
        var w = LogFilenameCheck.warnings("postgresql-%Y-%m-%d-%M.log", 100 * 1024, 0, false);
        assertThat(w).hasSize(2);
        assertThat(w.get(0)).contains("repeats every hour", "no %H", "appends");
        assertThat(w.get(1)).contains("two size rotations within one minute");
    }

    @Test
    void defaultPatternIsFine() {
        assertThat(LogFilenameCheck.warnings("postgresql-%Y-%m-%d_%H%M%S.log", 10240, 1440, false)).isEmpty();
        assertThat(LogFilenameCheck.warnings("postgresql-%s.log", 10240, 0, false)).isEmpty();
        assertThat(LogFilenameCheck.warnings("pg-%F_%T.log", 10240, 0, false)).isEmpty();
    }

    @Test
    void missingDayOrNoEscapeAtAll() {
        assertThat(LogFilenameCheck.warnings("postgresql-%Y-%m-%H.log", 0, 60, false))
                .singleElement().asString().contains("repeats every day", "no %d");
        assertThat(LogFilenameCheck.warnings("postgresql.log", 0, 60, false))
                .singleElement().asString().contains("no time escape");
        assertThat(LogFilenameCheck.warnings("postgresql-%H.log", 0, 60, true))
                .singleElement().asString().contains("repeats every day", "truncates");
    }

    @Test
    void weekdayRingWithTruncationIsTheDocumentedIdiom() {
        assertThat(LogFilenameCheck.warnings("postgresql-%a.log", 0, 1440, true)).isEmpty();
        assertThat(LogFilenameCheck.warnings("postgresql-%a.log", 0, 1440, false)).singleElement().asString().contains("weekday");
    }
}
