package io.msyspg.console.core.upgrade;

import io.msyspg.console.core.common.ConsoleException;
import io.msyspg.console.core.tools.PgVersion;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Plans a PostgreSQL major upgrade: the method, the version hops it needs, and the disk space it takes.
 *
 * <ul>
 *   <li>pg_upgrade of major 15 and later accepts sources from 9.2 only; 12–14 accept 8.4 and later. A 9.0
 *       source (Momentum 3.x) therefore needs a hop through a 12–14 pg_upgrade, or a dump with 12–14 tools.</li>
 *   <li>pg_upgrade needs both versions' server binaries on this host; dump/restore works across machines.</li>
 *   <li>Copy mode needs the data directory's size again; link and clone need little (catalogs);
 *       dump/restore needs room for the dump and the new cluster.</li>
 * </ul>
 */
public final class UpgradePlanner {
    public enum Method {
        PG_UPGRADE_COPY("pg_upgrade (copy)", "--copy"),
        PG_UPGRADE_LINK("pg_upgrade (hard links)", "--link"),
        PG_UPGRADE_CLONE("pg_upgrade (clone / reflink)", "--clone"),
        DUMP_RESTORE("dump and restore into a new server", null);

        public final String label;
        public final String flag;

        Method(String label, String flag) {
            this.label = label;
            this.flag = flag;
        }

        public boolean usesPgUpgrade() { return this != DUMP_RESTORE; }
    }

    /** One step of a hop: from a version to a version with the given tool major. */
    public record Hop(PgVersion from, PgVersion to, int toolMajor, String why) {}

    public record Plan(PgVersion source, PgVersion target, Method method, List<Hop> hops, long requiredFreeBytes,
                       List<String> notes) {}

    static final PgVersion V8_4 = new PgVersion(8, 4, "8.4");
    static final PgVersion V9_2 = new PgVersion(9, 2, "9.2");

    private UpgradePlanner() {}

    /** The oldest source the pg_upgrade (or pg_dump) of {@code toolMajor} accepts. */
    public static PgVersion oldestSource(int toolMajor) {
        return toolMajor >= 15 ? V9_2 : V8_4;
    }

    /**
     * @param installedMajors server majors whose binaries are on this host (for hops and pg_upgrade)
     * @param dataDirBytes    the source data directory's size
     */
    public static Plan plan(PgVersion source, PgVersion target, Method method, List<Integer> installedMajors, long dataDirBytes) {
        if (target.compareTo(source) <= 0 || target.major() == source.major() && source.major() >= 10) {
            throw new ConsoleException("The target PostgreSQL " + target.majorLabel() + " is not newer than the source "
                    + source.majorLabel() + ": there is nothing to upgrade.");
        }
        List<String> notes = new ArrayList<>();
        List<Hop> hops = new ArrayList<>();
        if (source.compareTo(oldestSource(target.major())) >= 0) {
            hops.add(new Hop(source, target, target.major(), method.usesPgUpgrade()
                    ? "pg_upgrade " + target.majorLabel() + " reads " + source.majorLabel() + " directly"
                    : "pg_dump " + target.majorLabel() + " dumps " + source.majorLabel() + ", pg_restore " + target.majorLabel() + " restores it"));
        } else {
            int via = installedMajors.stream().filter(m -> m >= 12 && m <= 14 && m < target.major()).max(Integer::compare).orElse(-1);
            if (method.usesPgUpgrade()) {
                if (via < 0) {
                    throw new ConsoleException("PostgreSQL " + source.majorLabel() + " cannot be upgraded to " + target.majorLabel()
                            + " by pg_upgrade in one step (pg_upgrade 15 and later accept 9.2 and newer), and no 12, 13 or 14 server"
                            + " binaries are installed for an intermediate hop. Install one, or choose dump and restore.");
                }
                PgVersion mid = new PgVersion(via, 0, Integer.toString(via));
                hops.add(new Hop(source, mid, via, "pg_upgrade " + via + " still reads " + source.majorLabel()));
                hops.add(new Hop(mid, target, target.major(), "then pg_upgrade " + target.majorLabel()));
            } else {
                int dumpTool = via > 0 ? via : 14;
                hops.add(new Hop(source, target, dumpTool, "pg_dump " + dumpTool + " (tools 15 and later cannot dump servers older than 9.2),"
                        + " restored with pg_restore " + target.majorLabel()));
                if (via < 0) notes.add("Install the PostgreSQL " + dumpTool + " client tools: the dump of a " + source.majorLabel()
                        + " server needs pg_dump 12 to 14.");
            }
        }
        if (method.usesPgUpgrade() && !installedMajors.contains(target.major())) {
            notes.add("pg_upgrade needs the PostgreSQL " + target.majorLabel() + " server binaries on this host.");
        }
        long required = switch (method) {
            case PG_UPGRADE_COPY, DUMP_RESTORE -> dataDirBytes;
            case PG_UPGRADE_LINK, PG_UPGRADE_CLONE -> Math.max(256L << 20, dataDirBytes / 20);
        };
        if (method == Method.PG_UPGRADE_LINK) {
            notes.add("With --link the old cluster must not be started again once the new one has run: keep the verified backup.");
        }
        notes.add("Afterwards: vacuumdb --all --analyze-in-stages (planner statistics are not carried over).");
        return new Plan(source, target, method, List.copyOf(hops), required, List.copyOf(notes));
    }

    /** The Momentum role order from the upgrade guide: ticked by the admin, recorded in the report. */
    public static List<String> momentumChecklist() {
        return List.of(
                "Upgrade the database role (this PostgreSQL) first, before any other Momentum role",
                "Then upgrade the manager and the web UI nodes",
                "Then upgrade the MTAs as soon as possible: they cannot report statistics until upgraded",
                "Run the deferred migration (33_deferred_migration) once every node is upgraded; it may take 8 hours or more while mail flows");
    }

    /** "1.2 GiB". */
    public static String bytes(long b) {
        if (b < 1024) return b + " B";
        String[] u = {"KiB", "MiB", "GiB", "TiB"};
        double v = b;
        int i = -1;
        while (v >= 1024 && i < u.length - 1) {
            v /= 1024;
            i++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, u[i]);
    }
}
