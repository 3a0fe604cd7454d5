package io.msyspg.console.core.browse;

import java.util.List;
import java.util.Map;

/**
 * Everything the details pane shows for one object: the heavy per-object queries run only here, never while
 * listing a folder. Lists are empty (never null) when they do not apply.
 *
 * @param properties ordered display pairs ("Owner", "Row estimate", "Table size"…), also printed by the CLI
 * @param rowEstimate {@code reltuples}, or null when unknown (never analyzed: -1 on PostgreSQL 14+)
 * @param ddl         CREATE statement, from the server's {@code pg_get_*def} functions where they exist
 * @param ddlNotes    what the DDL leaves out (client-assembled parts)
 */
public record ObjectDetails(CatalogObject object, String owner, String comment, Map<String, String> properties,
                            Long rowEstimate, Sizes sizes, String partitionKey, String partitionBound, String parent,
                            List<Column> columns, List<Index> indexes, List<Constraint> constraints, List<Trigger> triggers,
                            List<Privilege> privileges, String ddl, List<String> ddlNotes) {

    public record Column(int position, String name, String type, boolean notNull, String defaultExpr, String comment,
                         String identity, String generated, boolean local, String collation) {}

    public record Index(String name, String definition, boolean primary, boolean unique, boolean valid, long bytes,
                        boolean constraintBacked) {}

    public record Constraint(String name, String type, String definition, boolean local) {}

    public record Trigger(String name, String definition, boolean enabled) {}

    public record Privilege(String grantee, String grantor, String privilege, boolean grantable) {}

    /** Bytes; {@code -1} where not computed (partitioned parents: the sum over partitions is not computed). */
    public record Sizes(long table, long indexes, long toast, long total) {}
}
