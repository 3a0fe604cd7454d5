package io.msyspg.console.core.backup;

/** What a backup produces. The first four are pg_dump formats; BASE is a file-system copy by pg_basebackup. */
public enum BackupFormat {
    CUSTOM("c", "Custom (-Fc): compressed, selective and parallel restore"),
    DIRECTORY("d", "Directory (-Fd): the only parallel dump (-j)"),
    PLAIN("p", "Plain SQL: restored with psql"),
    TAR("t", "Tar (-Ft): never compressed"),
    BASE(null, "File-system copy of the whole cluster (pg_basebackup)"),
    LOWLEVEL(null, "File-system copy with pg_backup_start/stop (server on this host)");

    private final String flag;
    private final String label;

    BackupFormat(String flag, String label) {
        this.flag = flag;
        this.label = label;
    }

    public String pgDumpFlag() { return flag; }
    public String label() { return label; }
    public boolean isDirectory() { return this == DIRECTORY || this == BASE || this == LOWLEVEL; }

    /** A copy of the whole cluster rather than a pg_dump of one database. */
    public boolean isCluster() { return this == BASE || this == LOWLEVEL; }

    public static BackupFormat parse(String s) {
        return switch (s.toLowerCase()) {
            case "c", "custom" -> CUSTOM;
            case "d", "directory" -> DIRECTORY;
            case "p", "plain" -> PLAIN;
            case "t", "tar" -> TAR;
            case "base", "basebackup" -> BASE;
            case "lowlevel", "low-level" -> LOWLEVEL;
            default -> throw new IllegalArgumentException("unknown format '" + s + "' (custom, directory, plain, tar, base or lowlevel)");
        };
    }
}
