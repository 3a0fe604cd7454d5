package io.msyspg.console.core.backup;

import io.msyspg.console.core.tools.PgTool;

import java.nio.file.Path;
import java.util.List;

/** What {@link ArchiveInspector} learned about an archive before anything is restored. */
public record ArchiveInfo(Path path, Kind kind, String formatVersion, String createdAt, String database, int entryCount,
                          String compression, String sourceServerVersion, String pgDumpVersion, List<TocEntry> entries,
                          PgTool tool, List<String> warnings) {
    public enum Kind {
        CUSTOM("custom (-Fc)"), DIRECTORY("directory (-Fd)"), TAR("tar (-Ft)"), PLAIN("plain SQL"), PLAIN_GZIP("plain SQL, gzip'd");

        private final String label;

        Kind(String label) { this.label = label; }

        public String label() { return label; }

        public boolean isPlain() { return this == PLAIN || this == PLAIN_GZIP; }
    }

    /** The header as label/value lines for the wizard and the CLI. */
    public List<String[]> headerRows() {
        return List.of(
                new String[] {"Archive", path.toString()},
                new String[] {"Format", kind.label() + (formatVersion == null ? "" : ", archive version " + formatVersion)},
                new String[] {"Source server", nz(sourceServerVersion)},
                new String[] {"Written by", "pg_dump " + nz(pgDumpVersion)},
                new String[] {"Compression", nz(compression)},
                new String[] {"Created at", nz(createdAt)},
                new String[] {"Database", nz(database)},
                new String[] {"Entries", kind.isPlain() ? "(plain SQL has no table of contents)" : Integer.toString(entryCount)},
                new String[] {"Read with", tool == null ? "-" : tool.name() + " " + tool.version() + " (" + tool.path() + ")"});
    }

    private static String nz(String s) { return s == null || s.isBlank() ? "unknown" : s; }
}
