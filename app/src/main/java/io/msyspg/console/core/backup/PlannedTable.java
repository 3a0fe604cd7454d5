package io.msyspg.console.core.backup;

/** A table whose data the dump will copy, with its size from the catalog (heap + TOAST, bytes). */
public record PlannedTable(String schema, String name, long bytes, double rows) {
    public PlannedTable(String schema, String name, long bytes) {
        this(schema, name, bytes, -1);
    }

    /** Weight in the progress estimate: the size plus a fixed cost so that empty tables count a little. */
    public long weight() { return bytes + 16384; }

    public String qualified() { return schema + "." + name; }
}
