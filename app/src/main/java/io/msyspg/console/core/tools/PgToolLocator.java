package io.msyspg.console.core.tools;

import io.msyspg.console.core.common.ConsoleException;
import io.msyspg.console.core.common.Processes;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Finds PostgreSQL client and server programs and their versions. Search order: the configured directory,
 * {@code /opt/msys/3rdParty/bin} (Momentum), {@code /usr/lib/postgresql/N/bin} (Debian), {@code
 * /usr/pgsql-N/bin} (PGDG RPMs), then {@code PATH}. Unlike pgAdmin and DBeaver it never takes "the first
 * pg_dump found": {@link #forServer} picks the highest major that can talk to the server.
 */
public final class PgToolLocator {
    public static final List<String> TOOLS = List.of(
            "pg_dump", "pg_restore", "psql", "pg_ctl", "initdb", "pg_basebackup", "pg_verifybackup", "pg_upgrade", "vacuumdb");

    private final List<Path> searchDirs;
    private final Map<Path, Optional<PgVersion>> versions = new ConcurrentHashMap<>();

    public PgToolLocator(List<Path> searchDirs) {
        this.searchDirs = List.copyOf(searchDirs);
    }

    /** The standard search path, with {@code configuredDir} (may be null) first. */
    public static PgToolLocator standard(String configuredDir) {
        return new PgToolLocator(standardDirs(configuredDir, Path.of("/"), System.getenv("PATH")));
    }

    static List<Path> standardDirs(String configuredDir, Path root, String pathEnv) {
        Set<Path> dirs = new LinkedHashSet<>();
        if (configuredDir != null && !configuredDir.isBlank()) dirs.add(Path.of(configuredDir));
        dirs.add(root.resolve("opt/msys/3rdParty/bin"));
        dirs.addAll(versionedDirs(root.resolve("usr/lib/postgresql"), "", "bin"));
        dirs.addAll(versionedDirs(root.resolve("usr"), "pgsql-", "bin"));
        if (pathEnv != null) {
            for (String p : pathEnv.split(":")) if (!p.isBlank()) dirs.add(Path.of(p));
        }
        return new ArrayList<>(dirs);
    }

    /** {@code base/<prefix>N/<sub>} for every N, highest version first. */
    private static List<Path> versionedDirs(Path base, String prefix, String sub) {
        List<Path> found = new ArrayList<>();
        if (!Files.isDirectory(base)) return found;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(base, prefix + "[0-9]*")) {
            for (Path p : ds) if (Files.isDirectory(p.resolve(sub))) found.add(p.resolve(sub));
        } catch (IOException ignored) {
            return found;
        }
        found.sort(Comparator.comparing((Path p) -> {
            try {
                return PgVersion.parse(p.getParent().getFileName().toString().substring(prefix.length()));
            } catch (IllegalArgumentException e) {
                return new PgVersion(0, 0, "0");
            }
        }).reversed());
        return found;
    }

    public List<Path> searchDirs() { return searchDirs; }

    /** Every installation of {@code name} in search order, with its version (unreadable ones left out). */
    public List<PgTool> findAll(String name) {
        List<PgTool> result = new ArrayList<>();
        Set<Path> seen = new LinkedHashSet<>();
        for (Path dir : searchDirs) {
            Path candidate = dir.resolve(name);
            if (!Files.isRegularFile(candidate) || !Files.isExecutable(candidate)) continue;
            Path real;
            try {
                real = candidate.toRealPath();
            } catch (IOException e) {
                continue;
            }
            if (!seen.add(real)) continue;
            version(candidate).ifPresent(v -> result.add(new PgTool(name, candidate, v)));
        }
        return result;
    }

    /** All tools, by name, each with every installation found. */
    public Map<String, List<PgTool>> inventory() {
        Map<String, List<PgTool>> all = new LinkedHashMap<>();
        TOOLS.parallelStream().forEach(t -> { List<PgTool> f = findAll(t); synchronized (all) { all.put(t, f); } });
        Map<String, List<PgTool>> ordered = new LinkedHashMap<>();
        for (String t : TOOLS) ordered.put(t, all.get(t));
        return ordered;
    }

    /**
     * The tool to use against a server of {@code serverMajor}: the highest installed major that is at least
     * the server's (pg_dump refuses newer servers). Empty when none qualifies; see {@link #explainMissing}.
     */
    public Optional<PgTool> forServer(String name, PgVersion server) {
        return findAll(name).stream()
                .filter(t -> t.version().major() > server.major()
                        || (t.version().major() == server.major() && (server.major() >= 10 || t.version().minor() >= server.minor())))
                .filter(t -> !(t.version().major() >= 15 && server.compareTo(new PgVersion(9, 2, "9.2")) < 0))
                .max(Comparator.comparing(PgTool::version));
    }

    /** A one-sentence explanation of why {@link #forServer} found nothing, naming what was found. */
    public String explainMissing(String name, PgVersion server) {
        List<PgTool> all = findAll(name);
        if (all.isEmpty()) {
            return name + " was not found in " + searchDirs.size() + " searched directories; install the PostgreSQL "
                    + server.majorLabel() + " client tools or set the tools directory.";
        }
        StringBuilder found = new StringBuilder();
        for (PgTool t : all) found.append(found.isEmpty() ? "" : ", ").append(t.version()).append(" at ").append(t.path());
        String why = server.compareTo(new PgVersion(9, 2, "9.2")) < 0
                ? " Tools of major 15 and later cannot talk to servers older than 9.2; use tools of major 12 to 14 (or the server's own)."
                : " It must be of the server's major (" + server.majorLabel() + ") or newer.";
        return "No " + name + " can work with a PostgreSQL " + server + " server (found " + found + ")." + why;
    }

    public PgTool require(String name, PgVersion server) {
        return forServer(name, server).orElseThrow(() -> new ConsoleException(explainMissing(name, server)));
    }

    private Optional<PgVersion> version(Path tool) {
        return versions.computeIfAbsent(tool, p -> {
            try {
                Processes.Result r = Processes.run(List.of(p.toString(), "--version"), 10);
                return r.ok() ? Optional.of(PgVersion.fromToolOutput(r.stdout())) : Optional.empty();
            } catch (IOException | IllegalArgumentException | ConsoleException e) {
                return Optional.empty();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        });
    }
}
