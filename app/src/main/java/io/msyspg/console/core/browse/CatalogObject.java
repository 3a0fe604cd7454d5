package io.msyspg.console.core.browse;

/**
 * One object in a folder or a partition list: cheap columns only (what one catalog row gives).
 *
 * @param oid            the catalog oid (pg_class, pg_proc, pg_type or pg_extension)
 * @param arguments      identity arguments for functions ("integer, text"), else null
 * @param partitionCount for partitioned tables, how many direct partitions; else -1
 * @param partitionBound for partitions, {@code pg_get_expr(relpartbound)} ("FOR VALUES FROM … TO …"); else null
 * @param isPartition    true when the relation is itself a partition
 */
public record CatalogObject(String schema, String name, long oid, ObjectKind kind, String arguments,
                            long partitionCount, String partitionBound, boolean isPartition) {
    /** Name as shown: functions with their argument types. */
    public String displayName() {
        return arguments != null ? name + "(" + arguments + ")" : name;
    }

    public boolean hasPartitions() {
        return kind == ObjectKind.PARTITIONED_TABLE;
    }
}
