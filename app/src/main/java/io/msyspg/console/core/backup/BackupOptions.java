package io.msyspg.console.core.backup;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** What to back up and how; filled by the wizard or the command line. */
public final class BackupOptions {
    public BackupFormat format = BackupFormat.CUSTOM;
    /** pg_dump -Z: "0".."9", or (pg_dump 16+) "gzip", "lz4", "zstd", with an optional ":level". Null: the tool's default. */
    public String compression;
    /** Parallel jobs (directory format only). */
    public int jobs = 1;
    public boolean schemaOnly;
    public boolean dataOnly;
    public boolean noOwner;
    public boolean noPrivileges;
    public List<String> includeSchemas = new ArrayList<>();
    public List<String> excludeSchemas = new ArrayList<>();
    public List<String> includeTables = new ArrayList<>();
    public List<String> excludeTables = new ArrayList<>();
    /** Where the archive goes (a file; a directory for DIRECTORY and BASE). */
    public Path output;
    /** Replace an existing archive of the same name (only after the new one is complete). */
    public boolean overwrite;
    /** Read the whole archive back after writing it. */
    public boolean verify = true;
    /** pg_basebackup: ask for an immediate checkpoint (-c fast). */
    public boolean fastCheckpoint = true;

    public BackupOptions copy() {
        BackupOptions o = new BackupOptions();
        o.format = format; o.compression = compression; o.jobs = jobs; o.schemaOnly = schemaOnly; o.dataOnly = dataOnly;
        o.noOwner = noOwner; o.noPrivileges = noPrivileges;
        o.includeSchemas = new ArrayList<>(includeSchemas); o.excludeSchemas = new ArrayList<>(excludeSchemas);
        o.includeTables = new ArrayList<>(includeTables); o.excludeTables = new ArrayList<>(excludeTables);
        o.output = output; o.overwrite = overwrite; o.verify = verify; o.fastCheckpoint = fastCheckpoint;
        return o;
    }

    /** True when the compression setting asks for compressed output. */
    public boolean compressed() {
        if (format == BackupFormat.TAR) return false;
        if (compression == null || compression.isBlank()) return format == BackupFormat.CUSTOM || format == BackupFormat.DIRECTORY;
        String c = compression.trim().toLowerCase();
        return !(c.equals("0") || c.startsWith("none") || c.endsWith(":0"));
    }
}
