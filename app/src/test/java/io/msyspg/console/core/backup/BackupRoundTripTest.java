package io.msyspg.console.core.backup;

import io.msyspg.console.core.connect.PooledDbSession;
import io.msyspg.console.core.task.JobContext;
import io.msyspg.console.testsupport.TestPg;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Every format through backup, verification, inspection and restore into a new database: identical content. */
class BackupRoundTripTest {
    static String sourceDb;
    static PooledDbSession source;
    static Map<String, String> expected;

    @BeforeAll static void fixture() throws Exception {
        sourceDb = TestPg.createDatabase("rt_src");
        source = TestPg.session(sourceDb);
        BackupFixtures.representative(source);
        expected = BackupFixtures.contentChecksums(source);
        assertThat(expected).hasSizeGreaterThanOrEqualTo(8);
    }

    @AfterAll static void close() {
        if (source != null) source.close();
    }

    @ParameterizedTest(name = "{0} -Z {1} -j {2}")
    @CsvSource({"custom,6,1", "custom,0,1", "directory,,2", "tar,,1", "plain,,1", "plain,5,1"})
    void roundTrip(String format, String z, int jobs, @TempDir Path dir) throws Exception {
        BackupService svc = BackupFixtures.service(dir);
        BackupOptions o = new BackupOptions();
        o.format = BackupFormat.parse(format);
        o.compression = z;
        o.jobs = jobs;
        o.output = dir.resolve("out." + format + (z != null && format.equals("plain") ? ".sql.gz" : ""));
        BackupService.Plan plan = svc.plan(source, o);
        assertThat(plan.blocked()).as(plan.checks().toString()).isFalse();
        assertThat(plan.commandLine()).contains("PGPASSFILE=" + ToolProcess.PASSFILE_PLACEHOLDER).doesNotContain(new String(TestPg.PASSWORD));
        assertThat(plan.tables()).extracting(PlannedTable::qualified).contains("app.orders", "public.stats_2026_01", "Odd Schema.We ird \"Table\"");
        List<String> lines = new ArrayList<>();
        BackupService.Result r = svc.run(plan, JobContext.none(), lines::add);

        assertThat(r.verified()).isTrue();
        assertThat(Files.exists(o.output)).isTrue();
        assertThat(Files.exists(BackupService.partialOf(o.output))).isFalse();
        assertThat(lines).anyMatch(l -> l.contains("dumping contents of table \"app.orders\""));
        Path sums = BackupService.checksumFile(o.output);
        assertThat(sums).exists();
        if (!o.format.isDirectory()) {
            assertThat(Files.readString(sums)).isEqualTo(Bytes.sha256(o.output) + "  " + o.output.getFileName() + "\n");
        } else {
            assertThat(Files.readAllLines(sums)).anyMatch(l -> l.endsWith("  out.directory/toc.dat"));
        }
        RestoreService.checkChecksum(o.output);   // sha256sum-compatible file agrees with the archive
        assertThat(svc.history().list()).singleElement().satisfies(h -> {
            assertThat(h.status).isEqualTo("succeeded");
            assertThat(h.verified).isTrue();
            assertThat(h.sizeBytes).isEqualTo(r.sizeBytes()).isPositive();
        });

        ArchiveInfo info = new ArchiveInspector(BackupFixtures.TOOLS).inspect(o.output, JobContext.none());
        assertThat(info.kind()).isEqualTo(switch (o.format) {
            case CUSTOM -> ArchiveInfo.Kind.CUSTOM;
            case DIRECTORY -> ArchiveInfo.Kind.DIRECTORY;
            case TAR -> ArchiveInfo.Kind.TAR;
            default -> z != null ? ArchiveInfo.Kind.PLAIN_GZIP : ArchiveInfo.Kind.PLAIN;
        });
        assertThat(info.sourceServerVersion()).startsWith(source.serverVersion().majorLabel());
        if (!info.kind().isPlain()) {
            assertThat(info.formatVersion()).isEqualTo("1.14");
            // the header counts entries -l does not list (ENCODING, STDSTRINGS, SEARCHPATH, DATABASE)
            assertThat(info.entryCount()).isGreaterThanOrEqualTo(info.entries().size()).isLessThanOrEqualTo(info.entries().size() + 4);
            assertThat(info.entries()).anySatisfy(e -> {
                assertThat(e.desc()).isEqualTo("TABLE DATA");
                assertThat(e.schema()).isEqualTo("Odd Schema");
                assertThat(e.name()).isEqualTo("We ird \"Table\"");
            });
        }

        String target = "rt_dst_" + format + "_" + (z == null ? "" : z) + "_" + Long.toHexString(System.nanoTime());
        RestoreOptions ro = new RestoreOptions();
        ro.database = target;
        ro.createNew = true;
        ro.jobs = o.format == BackupFormat.DIRECTORY ? 2 : 1;
        RestoreService rs = new RestoreService(svc);
        RestoreService.Plan rp = rs.plan(source, info, ro);
        assertThat(rp.blocked()).as(rp.checks().toString()).isFalse();
        RestoreReport report = rs.run(rp, JobContext.none(), l -> { });
        assertThat(report.status()).as(report.headline() + " " + report.errors()).isEqualTo(RestoreReport.Status.COMPLETED);
        try (PooledDbSession restored = TestPg.session(target)) {
            assertThat(BackupFixtures.contentChecksums(restored)).isEqualTo(expected);
        }
    }
}
