package io.msyspg.console.core.backup;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.msyspg.console.core.common.AppDirs;
import io.msyspg.console.core.settings.SettingsStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The backups made by this console (when, what, where, size, duration, verified or not, how it ended), kept as
 * JSON in {@code <state>/backup-history.json}, newest last. An unreadable file is set aside, never lost.
 */
public final class BackupHistory {
    private static final Logger log = LoggerFactory.getLogger(BackupHistory.class);
    private static final int MAX_ENTRIES = 1000;

    public static final class Entry {
        public Instant startedAt;
        public String server;
        public String database;
        public String format;
        public String path;
        public long sizeBytes;
        public long durationMillis;
        public String sha256;
        public boolean verified;
        /** "succeeded", "failed", "cancelled". */
        public String status;
        public String message;
        public String tool;

        public Entry() {}
    }

    private final Path file;
    private final ObjectMapper mapper = SettingsStore.mapper();

    public BackupHistory(Path file) {
        this.file = file;
    }

    public static BackupHistory in(AppDirs dirs) {
        return new BackupHistory(dirs.state().resolve("backup-history.json"));
    }

    public Path file() { return file; }

    public synchronized List<Entry> list() {
        if (!Files.exists(file)) return new ArrayList<>();
        try {
            return new ArrayList<>(mapper.readValue(file.toFile(), new TypeReference<List<Entry>>() {}));
        } catch (IOException e) {
            Path aside = file.resolveSibling(file.getFileName() + ".corrupt-" + System.currentTimeMillis());
            log.warn("backup history {} unreadable ({}); moved to {}", file, e.getMessage(), aside);
            try {
                Files.move(file, aside);
            } catch (IOException ignored) {
                // left in place; the next write replaces it
            }
            return new ArrayList<>();
        }
    }

    public synchronized void add(Entry e) {
        List<Entry> all = list();
        all.add(e);
        if (all.size() > MAX_ENTRIES) all = new ArrayList<>(all.subList(all.size() - MAX_ENTRIES, all.size()));
        try {
            io.msyspg.console.core.common.JsonFiles.writeAtomically(mapper, file, all);
        } catch (IOException ex) {
            log.warn("could not write backup history {}: {}", file, ex.getMessage());
        }
    }
}
