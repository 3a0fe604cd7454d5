package io.msyspg.console.core.tools;

import java.nio.file.Path;

/** One installed PostgreSQL program with the version it reports. */
public record PgTool(String name, Path path, PgVersion version) {
    public Path binDir() { return path.getParent(); }
}
