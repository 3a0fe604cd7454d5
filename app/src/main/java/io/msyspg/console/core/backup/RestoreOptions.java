package io.msyspg.console.core.backup;

import java.nio.file.Path;
import java.util.List;

/** How to restore an inspected archive; filled by the wizard or the command line. */
public final class RestoreOptions {
    /** The database to restore into. */
    public String database;
    /** Create it (from template0) first; it must not exist. Otherwise it must exist. */
    public boolean createNew;
    /** Drop the archive's objects first (--clean --if-exists); existing database only. */
    public boolean clean;
    public int jobs = 1;
    public boolean singleTransaction;
    public boolean exitOnError;
    public boolean noOwner;
    /** The TOC entry ids to restore, in this order (a -L list); null restores everything in archive order. */
    public List<Integer> selection;
    /** Read the whole archive (and its .sha256 when present) before touching the database. */
    public boolean verifyFirst = true;
    /** Back up the existing target here (custom format) before restoring; null for none. */
    public Path safetyBackup;
}
