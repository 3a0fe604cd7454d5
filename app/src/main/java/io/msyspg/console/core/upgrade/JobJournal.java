package io.msyspg.console.core.upgrade;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.msyspg.console.core.common.AppDirs;
import io.msyspg.console.core.common.ConsoleException;
import io.msyspg.console.core.common.FilePermissions;
import io.msyspg.console.core.settings.SettingsStore;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The folder of one deferred job: {@code journal.json} (written atomically: temp file, then rename, so a
 * reader never sees half a file), {@code runner.log} (the detached runner's own output) and one log per step.
 * Jobs live under {@code <state>/jobs/}.
 */
public final class JobJournal {
    private static final ObjectMapper JSON = SettingsStore.mapper();
    private final Path dir;

    public JobJournal(Path dir) {
        this.dir = dir;
    }

    public static Path jobsDir(AppDirs dirs) {
        return dirs.state().resolve("jobs");
    }

    /** Creates the folder of a new job and writes its first journal. */
    public static JobJournal create(Path jobsDir, DeferredJob job) {
        String stamp = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(Instant.now());
        job.id = stamp + "-" + Long.toHexString(System.nanoTime() & 0xfffff);
        job.createdAt = Instant.now();
        Path dir = AppDirs.ensure(jobsDir).resolve(job.id);
        try {
            Files.createDirectory(dir);
            FilePermissions.ownerOnly(dir);
        } catch (IOException e) {
            throw new ConsoleException("Cannot create the job folder " + dir + ": " + e.getMessage(), e);
        }
        for (int i = 0; i < job.steps.size(); i++) {
            DeferredJob.Step s = job.steps.get(i);
            s.logFile = dir.resolve(String.format("step-%02d.log", i + 1)).toString();
        }
        JobJournal j = new JobJournal(dir);
        j.write(job);
        return j;
    }

    /** Every job found, newest first. */
    public static List<JobJournal> list(Path jobsDir) {
        List<JobJournal> all = new ArrayList<>();
        if (!Files.isDirectory(jobsDir)) return all;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(jobsDir)) {
            for (Path p : ds) if (Files.isRegularFile(p.resolve("journal.json"))) all.add(new JobJournal(p));
        } catch (IOException e) {
            throw new ConsoleException("Cannot list deferred jobs in " + jobsDir + ": " + e.getMessage(), e);
        }
        all.sort(Comparator.comparing((JobJournal j) -> j.dir.getFileName().toString()).reversed());
        return all;
    }

    /** The job with this id (or id prefix), or the newest when {@code id} is null. */
    public static Optional<JobJournal> find(Path jobsDir, String id) {
        return list(jobsDir).stream().filter(j -> id == null || j.id().startsWith(id)).findFirst();
    }

    public Path dir() { return dir; }
    public String id() { return dir.getFileName().toString(); }
    public Path journalFile() { return dir.resolve("journal.json"); }
    public Path runnerLog() { return dir.resolve("runner.log"); }
    public Path lockFile() { return dir.resolve("runner.lock"); }

    public DeferredJob read() {
        try {
            return JSON.readValue(journalFile().toFile(), DeferredJob.class);
        } catch (IOException e) {
            throw new ConsoleException("The job journal " + journalFile() + " cannot be read: "
                    + e.getMessage().lines().findFirst().orElse(""), e);
        }
    }

    public synchronized void write(DeferredJob job) {
        try {
            io.msyspg.console.core.common.JsonFiles.writeAtomically(JSON, journalFile(), job);
        } catch (IOException e) {
            throw new ConsoleException("Cannot write the job journal " + journalFile() + ": " + e.getMessage(), e);
        }
    }
}
