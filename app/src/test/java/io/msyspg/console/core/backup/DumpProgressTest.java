package io.msyspg.console.core.backup;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The progress arithmetic on pg_dump's -v lines, bytes written and copied rows. */
class DumpProgressTest {
    static final long S = 1_000_000_000L;
    final List<PlannedTable> tables = List.of(
            new PlannedTable("public", "big", 90_000_000, 900_000),
            new PlannedTable("public", "small", 10_000_000, 100_000));

    @Test void serialDumpCountsFinishedTablesAndCreditsTheCurrentOneByRows() {
        DumpProgress p = new DumpProgress(tables, false, true, 0);
        assertThat(p.fraction(S)).isLessThan(0.01);
        p.line("pg_dump: reading extensions", S);
        p.line("pg_dump: saving database definition", 2 * S);
        double catalogOnly = p.fraction(2 * S);
        assertThat(catalogOnly).isBetween(0.0, 0.06);
        p.line("pg_dump: dumping contents of table \"public.big\"", 2 * S);
        assertThat(p.currentTable()).isEqualTo("public.big");
        p.copied(Map.of("public.big", 450_000L));
        assertThat(p.fraction(3 * S)).isCloseTo(catalogOnly + 0.5 * 90_016_384 / total(p), within(0.01));
        p.line("pg_dump: dumping contents of table \"public.small\"", 4 * S);
        p.copied(Map.of());
        assertThat(p.tablesDone()).isEqualTo(1);
        assertThat(p.fraction(4 * S)).isCloseTo(0.9, within(0.05));
        assertThat(p.fraction(100 * S)).isLessThanOrEqualTo(0.99);
        assertThat(p.etaSeconds(4 * S)).isBetween(0L, 2L);
    }

    @Test void parallelDumpFinishesTablesOnFinishedItemLines() {
        DumpProgress p = new DumpProgress(tables, true, false, 0);
        p.line("pg_dump: dumping contents of table \"public.small\"", S);
        p.line("pg_dump: dumping contents of table \"public.big\"", S);
        p.line("pg_dump: finished item 3355 TABLE DATA small", 2 * S);
        assertThat(p.tablesDone()).isEqualTo(1);
        double f = p.fraction(2 * S);
        assertThat(f).isGreaterThan(0.09).isLessThan(0.99);
        // without row counts, the table in progress is credited from the throughput seen so far, never fully
        assertThat(p.fraction(50 * S)).isLessThan(0.99).isGreaterThan(f);
    }

    @Test void etaFormatting() {
        assertThat(DumpProgress.formatEta(-1)).isEqualTo("estimating…");
        assertThat(DumpProgress.formatEta(42)).isEqualTo("42 s left");
        assertThat(DumpProgress.formatEta(125)).isEqualTo("2 min 5 s left");
        assertThat(DumpProgress.formatEta(3 * 3600 + 120)).isEqualTo("3 h 2 min left");
    }

    @Test void tocLinesWithSpacesInDescriptorsAndNames() {
        var schemas = TocEntry.schemaNames(List.of("6; 2615 16385 SCHEMA - Odd Schema postgres"));
        TocEntry e = TocEntry.parse("3355; 0 16393 TABLE DATA Odd Schema we ird \"T\" postgres", schemas);
        assertThat(e.id()).isEqualTo(3355);
        assertThat(e.desc()).isEqualTo("TABLE DATA");
        assertThat(e.schema()).isEqualTo("Odd Schema");
        assertThat(e.name()).isEqualTo("we ird \"T\"");
        assertThat(e.owner()).isEqualTo("postgres");
        assertThat(e.isData()).isTrue();
        TocEntry fk = TocEntry.parse("3211; 2606 16392 FK CONSTRAINT public orders orders_customer_fkey postgres", schemas);
        assertThat(fk.desc()).isEqualTo("FK CONSTRAINT");
        assertThat(fk.name()).isEqualTo("orders orders_customer_fkey");
        assertThat(TocEntry.parse("; Archive created at 2026-11-21", schemas)).isNull();
        assertThat(TocEntry.parse("", schemas)).isNull();
    }

    private static double total(DumpProgress p) {
        // catalog share + weights: recomputed the way DumpProgress does
        long sum = 90_016_384 + 10_016_384;
        long catalog = Math.max(256 * 1024, Math.min(sum / 20, 64L * 1024 * 1024)) + 2 * 4096L;
        return sum + catalog;
    }
}
