package io.msyspg.console.core.upgrade;

import io.msyspg.console.core.connect.ConnectionTarget;
import io.msyspg.console.core.upgrade.UpgradePlanner.Method;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything the admin chose for one major upgrade run (wizard steps 1–3, or the {@code upgrade run} command
 * line). Plain data: no password here (it is handed to {@link UpgradeExecutor} separately and never written
 * anywhere), so a request can be shown, logged and copied into the report as it is.
 *
 * <p>The old server must be RUNNING when the run starts: the backup, the dump (dump/restore) and the source
 * row counts are read from it. For pg_upgrade the executor stops it (pg_ctl -m fast, as the data directory's
 * owner) right before pg_upgrade runs, when {@link #stopOldServer} allows it; otherwise the run blocks.
 */
public final class UpgradeRequest {
    /** How the "backup first" step is satisfied. */
    public enum BackupChoice {
        /** A verified backup of every database, younger than {@link #maxBackupAge}, must be in the backup history. */
        USE_RECENT,
        /** Take one now with the backup engine (pg_dump -Fc -Z 9, verified, recorded in the history) into {@link #backupDir}. */
        TAKE_NOW
    }

    /** The running old server: host (or socket folder), port, a superuser (the cluster's install user for pg_upgrade). */
    public ConnectionTarget source;
    /**
     * The old cluster's data directory (Momentum: /var/db/msyspg). Required for pg_upgrade; optional for dump/restore,
     * whose source may be on another machine (null: read over the network, sizes from pg_database_size).
     */
    public Path oldDataDir;
    /**
     * The old server's binaries (postgres, pg_ctl; pg_upgrade also needs pg_controldata and pg_resetwal there).
     * Required for pg_upgrade; optional for dump/restore (its pg_dump comes from the tool locator).
     */
    public Path oldBinDir;
    /** The target version's binaries (initdb, pg_ctl, pg_upgrade, pg_restore, psql, vacuumdb). */
    public Path newBinDir;
    /**
     * pg_upgrade in several hops: the bin folders of the intermediate servers, in order (each gets a cluster of its own,
     * {@code <new data dir>.hop<major>} on a free port, removed once the next hop succeeded; the last hop goes into
     * {@link #newDataDir} with {@link #newBinDir}). Empty: the executor takes the planner's hops (a 9.0/9.1 source goes
     * through an installed 12–14) and finds their binaries itself. Not used by dump and restore.
     */
    public List<Path> hopBinDirs = new ArrayList<>();
    /** Where the new cluster is created; must not exist or be empty. */
    public Path newDataDir;
    /** The port the new server listens on (also pg_upgrade's -P). */
    public int newPort;
    /**
     * The Unix-socket folder of the new server ({@code unix_socket_directories}); null keeps the binaries' default
     * (Debian: /var/run/postgresql). pg_upgrade's own temporary servers use the run's work folder.
     */
    public Path newSocketDir;
    public Method method = Method.PG_UPGRADE_COPY;

    public BackupChoice backup = BackupChoice.TAKE_NOW;
    /** For {@link BackupChoice#USE_RECENT}: the newest verified backup must be younger than this. */
    public Duration maxBackupAge = Duration.ofHours(24);
    /** For {@link BackupChoice#TAKE_NOW}: the folder the backups go to (one .dump per database + globals.sql); null: the run's folder. */
    public Path backupDir;

    /** A user-supplied migration (Momentum's 33_deferred_migration) run as the last deferred step; null for none. */
    public Path migrationScript;
    /** The database the migration script and the connection defaults use (PGDATABASE). */
    public String database = "ecelerity";
    /** Queue {@code vacuumdb --all --analyze-in-stages} (and pg_upgrade's scripts) as the deferred job. Default on. */
    public boolean analyzeAfter = true;
    /** Start the deferred job's detached runner at once (else it is only queued; {@code upgrade run --job ID} starts it). */
    public boolean launchDeferred = true;

    /** Allow the executor to stop the old server before pg_upgrade (it must be stopped for pg_upgrade). */
    public boolean stopOldServer = true;
    /**
     * How the old server is stopped (and started again after a failed copy/clone pg_upgrade): a service command
     * with {@code {action}} or an action appended (Momentum: {@code /etc/init.d/msyspg}), as {@code core.server.ServerControl}
     * runs it; null: {@code pg_ctl -D OLD -m fast} of the old bindir, as the data directory's owner.
     */
    public String oldServiceCommand;
    /** Tables up to this size (bytes, pg_relation_size) also get a content checksum in the verification; 0 disables. */
    public long checksumMaxBytes = 64L << 20;
    /** All checksummed tables together stay under this many bytes (the rest are counted only): a bound on the read. */
    public long checksumTotalMaxBytes = 2L << 30;

    /** The Momentum checklist as ticked by the admin (wizard step 2), recorded in the report with its timestamps. */
    public List<UpgradeReport.ChecklistTick> checklist = new ArrayList<>();

    /** Where the report goes; null: {@code <state>/upgrade/reports/<run id>/}. */
    public Path reportDir;

    public UpgradeRequest copy() {
        UpgradeRequest r = new UpgradeRequest();
        r.source = source; r.oldDataDir = oldDataDir; r.oldBinDir = oldBinDir; r.newBinDir = newBinDir; r.newDataDir = newDataDir;
        r.newPort = newPort; r.newSocketDir = newSocketDir; r.method = method; r.backup = backup; r.maxBackupAge = maxBackupAge;
        r.backupDir = backupDir; r.migrationScript = migrationScript; r.database = database; r.analyzeAfter = analyzeAfter;
        r.launchDeferred = launchDeferred; r.stopOldServer = stopOldServer; r.oldServiceCommand = oldServiceCommand; r.checksumMaxBytes = checksumMaxBytes; r.checksumTotalMaxBytes = checksumTotalMaxBytes;
        r.checklist = new ArrayList<>(checklist); r.reportDir = reportDir; r.hopBinDirs = new ArrayList<>(hopBinDirs == null ? List.of() : hopBinDirs);
        return r;
    }
}
