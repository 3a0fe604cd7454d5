package io.msyspg.console.core.connect;

import io.msyspg.console.core.common.ConsoleException;
import io.msyspg.console.core.tools.PgTool;
import io.msyspg.console.core.tools.PgToolLocator;
import io.msyspg.console.core.tools.PgVersion;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * "Which pg_dump for this server?": the client tools of one connection, chosen per server version (the
 * highest installed major that is at least the server's; the profile's tools directory searched first).
 * Backup, restore and upgrade ask this before running anything and show {@link #check} problems first.
 */
public final class ServerTools {
    private final PgToolLocator locator;
    private final PgVersion server;

    public ServerTools(PgToolLocator locator, PgVersion server) {
        this.locator = locator;
        this.server = server;
    }

    /** Tools for a session: {@code profileToolsDir} (may be null) first, then the configured one, then the standard places. */
    public static ServerTools forSession(DbSession session, String profileToolsDir, String configuredToolsDir) {
        String dir = profileToolsDir != null && !profileToolsDir.isBlank() ? profileToolsDir : configuredToolsDir;
        PgToolLocator base = PgToolLocator.standard(dir);
        if (profileToolsDir != null && !profileToolsDir.isBlank() && configuredToolsDir != null && !configuredToolsDir.isBlank()) {
            List<java.nio.file.Path> dirs = new ArrayList<>(base.searchDirs());
            dirs.add(1, java.nio.file.Path.of(configuredToolsDir));
            base = new PgToolLocator(dirs.stream().distinct().toList());
        }
        return new ServerTools(base, session.serverVersion());
    }

    public PgVersion serverVersion() { return server; }

    public PgToolLocator locator() { return locator; }

    /** The tool to run against this server (runs version checks: call off the FX thread). */
    public Optional<PgTool> find(String tool) {
        return locator.forServer(tool, server);
    }

    /** The tool, or a {@link ConsoleException} explaining the mismatch (what was found, what is needed). */
    public PgTool require(String tool) {
        return locator.require(tool, server);
    }

    /** One sentence per tool that cannot be used with this server; empty when all are fine. */
    public List<String> check(String... tools) {
        List<String> problems = new ArrayList<>();
        for (String t : tools) if (find(t).isEmpty()) problems.add(locator.explainMissing(t, server));
        return problems;
    }
}
