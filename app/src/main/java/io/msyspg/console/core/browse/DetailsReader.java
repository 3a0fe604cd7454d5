package io.msyspg.console.core.browse;

import io.msyspg.console.core.common.Sql;
import io.msyspg.console.core.task.JobContext;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads one object's details on one connection (inside the caller's transaction). */
final class DetailsReader {
    private final Connection c;
    private final JobContext ctx;
    private final int major;

    DetailsReader(Connection c, JobContext ctx, int major) {
        this.c = c;
        this.ctx = ctx;
        this.major = major;
    }

    ObjectDetails read(CatalogObject o) throws SQLException {
        if (o.kind().isRelation()) return relation(o);
        return switch (o.kind()) {
            case FUNCTION, PROCEDURE, AGGREGATE -> function(o);
            case TYPE -> type(o);
            case EXTENSION -> extension(o);
            default -> throw new IllegalArgumentException("no details for " + o.kind());
        };
    }

    // ---- relations ----------------------------------------------------------------------------------------

    private record Rel(String owner, String comment, String relkind, String persistence, double reltuples, long relpages,
                       long toastOid, String partKey, String bound, String parent, String reloptions, boolean partition,
                       long partitions, String tablespace) {}

    private ObjectDetails relation(CatalogObject o) throws SQLException {
        Rel r = SqlRunner.one(c, ctx, "SELECT pg_catalog.pg_get_userbyid(c.relowner) AS owner, pg_catalog.obj_description(c.oid, 'pg_class') AS comment, "
                + "c.relkind::text AS relkind, c.relpersistence::text AS persistence, c.reltuples, c.relpages, c.reltoastrelid, "
                + "CASE WHEN c.relkind = 'p' THEN pg_catalog.pg_get_partkeydef(c.oid) END AS partkey, "
                + "pg_catalog.pg_get_expr(c.relpartbound, c.oid) AS bound, "
                + "(SELECT i.inhparent::regclass::text FROM pg_catalog.pg_inherits i WHERE i.inhrelid = c.oid AND c.relispartition) AS parent, "
                + "array_to_string(c.reloptions, ', ') AS reloptions, c.relispartition, "
                + "CASE WHEN c.relkind = 'p' THEN (SELECT count(*) FROM pg_catalog.pg_inherits i WHERE i.inhparent = c.oid) ELSE -1 END AS parts, "
                + "(SELECT spcname FROM pg_catalog.pg_tablespace WHERE oid = c.reltablespace) AS tablespace "
                + "FROM pg_catalog.pg_class c WHERE c.oid = ?::oid", List.of(o.oid()), rs -> new Rel(rs.getString("owner"),
                rs.getString("comment"), rs.getString("relkind"), rs.getString("persistence"), rs.getDouble("reltuples"),
                rs.getLong("relpages"), rs.getLong("reltoastrelid"), rs.getString("partkey"), rs.getString("bound"),
                rs.getString("parent"), rs.getString("reloptions"), rs.getBoolean("relispartition"), rs.getLong("parts"),
                rs.getString("tablespace")));
        if (r == null) {
            throw new io.msyspg.console.core.common.ConsoleException(Sql.qualified(o.schema(), o.name())
                    + " no longer exists (dropped since the list was loaded): refresh its folder.");
        }
        boolean hasStorage = !r.relkind.equals("v") && !r.relkind.equals("p") && !r.relkind.equals("f");
        ObjectDetails.Sizes sizes = null;
        if (hasStorage) {
            sizes = SqlRunner.one(c, ctx, "SELECT pg_catalog.pg_relation_size(c.oid) AS t, pg_catalog.pg_indexes_size(c.oid) AS i, "
                    + "CASE WHEN c.reltoastrelid <> 0 THEN pg_catalog.pg_total_relation_size(c.reltoastrelid) ELSE 0 END AS toast, "
                    + "pg_catalog.pg_total_relation_size(c.oid) AS total FROM pg_catalog.pg_class c WHERE c.oid = ?::oid",
                    List.of(o.oid()), rs -> new ObjectDetails.Sizes(rs.getLong("t"), rs.getLong("i"), rs.getLong("toast"), rs.getLong("total")));
        } else if (r.relkind.equals("p")) {
            sizes = new ObjectDetails.Sizes(-1, -1, -1, -1);
        }
        // reltuples: -1 means "never vacuumed/analyzed" from 14 on; before 14 it was 0 (indistinguishable from empty)
        Long estimate;
        if (r.relkind.equals("v") || r.relkind.equals("S") || r.relkind.equals("f")) estimate = null;
        else if (r.reltuples < 0) estimate = null;
        else if (major < 14 && r.reltuples == 0 && r.relpages == 0) estimate = null;
        else estimate = (long) r.reltuples;

        Map<String, String> props = new LinkedHashMap<>();
        props.put("Kind", o.kind().label() + (r.partition ? " (partition)" : ""));
        props.put("Owner", r.owner);
        if (r.comment != null) props.put("Comment", r.comment);
        props.put("OID", Long.toString(o.oid()));
        if (r.persistence.equals("u")) props.put("Persistence", "unlogged");
        if (r.tablespace != null) props.put("Tablespace", r.tablespace);
        if (r.parent != null) props.put("Partition of", r.parent);
        if (r.bound != null) props.put("Partition bound", r.bound);
        if (r.partKey != null) props.put("Partition key", r.partKey);
        if (r.partitions >= 0) props.put("Partitions", Long.toString(r.partitions));
        if (!r.relkind.equals("v") && !r.relkind.equals("S") && !r.relkind.equals("f")) {
            if (r.relkind.equals("p")) props.put("Row estimate", "see the partitions");
            else props.put("Row estimate", estimate == null ? "unknown (never analyzed)" : String.format("%,d", estimate));
        }
        if (sizes != null && r.relkind.equals("p")) {
            props.put("Size", "not computed for a partitioned table (sum over " + r.partitions + " partitions)");
        } else if (sizes != null) {
            props.put("Table size", CatalogService.humanBytes(sizes.table()));
            props.put("Indexes size", CatalogService.humanBytes(sizes.indexes()));
            props.put("TOAST size", CatalogService.humanBytes(sizes.toast()));
            props.put("Total size", CatalogService.humanBytes(sizes.total()));
        }
        if (r.reloptions != null && !r.reloptions.isEmpty()) props.put("Storage options", r.reloptions);
        if (r.relkind.equals("r") || r.relkind.equals("m") || r.relkind.equals("p")) stats(o.oid(), props);

        List<ObjectDetails.Column> columns = columns(o.oid());
        List<ObjectDetails.Index> indexes = r.relkind.equals("v") || r.relkind.equals("S") ? List.of() : indexes(o.oid());
        List<ObjectDetails.Constraint> constraints = constraints(o.oid());
        List<ObjectDetails.Trigger> triggers = triggers(o.oid());
        String aclKind = r.relkind.equals("S") ? "s" : "r";
        List<ObjectDetails.Privilege> privileges = privileges("SELECT %s FROM pg_catalog.pg_class x CROSS JOIN LATERAL "
                + "pg_catalog.aclexplode(coalesce(x.relacl, pg_catalog.acldefault('" + aclKind + "', x.relowner))) a WHERE x.oid = ?::oid", o.oid());

        List<String> notes = new ArrayList<>();
        String ddl = switch (r.relkind) {
            case "v" -> "CREATE OR REPLACE VIEW " + Sql.qualified(o.schema(), o.name()) + " AS\n"
                    + text("SELECT pg_catalog.pg_get_viewdef(?::oid, true)", o.oid()).stripTrailing() + "\n" + comments(o, r.comment, columns) + owner(o, "VIEW", r.owner);
            case "m" -> "CREATE MATERIALIZED VIEW " + Sql.qualified(o.schema(), o.name()) + " AS\n"
                    + stripSemicolon(text("SELECT pg_catalog.pg_get_viewdef(?::oid, true)", o.oid())) + "\nWITH DATA;\n"
                    + indexDdl(indexes) + comments(o, r.comment, columns) + owner(o, "MATERIALIZED VIEW", r.owner);
            case "S" -> sequenceDdl(o) + owner(o, "SEQUENCE", r.owner);
            default -> tableDdl(o, r, columns, constraints, indexes, triggers, notes);
        };
        return new ObjectDetails(o, r.owner, r.comment, props, estimate, sizes, r.partKey, r.bound, r.parent,
                columns, indexes, constraints, triggers, privileges, ddl, List.copyOf(notes));
    }

    private void stats(long oid, Map<String, String> props) throws SQLException {
        SqlRunner.one(c, ctx, "SELECT last_vacuum, last_autovacuum, last_analyze, last_autoanalyze, n_live_tup, n_dead_tup "
                + "FROM pg_catalog.pg_stat_all_tables WHERE relid = ?::oid", List.of(oid), rs -> {
            props.put("Last vacuum", ts(rs.getTimestamp("last_vacuum")));
            props.put("Last autovacuum", ts(rs.getTimestamp("last_autovacuum")));
            props.put("Last analyze", ts(rs.getTimestamp("last_analyze")));
            props.put("Last autoanalyze", ts(rs.getTimestamp("last_autoanalyze")));
            props.put("Live / dead tuples (stats)", String.format("%,d / %,d", rs.getLong("n_live_tup"), rs.getLong("n_dead_tup")));
            return null;
        });
    }

    private static String ts(Timestamp t) {
        return t == null ? "never" : t.toInstant().toString();
    }

    private List<ObjectDetails.Column> columns(long relOid) throws SQLException {
        return SqlRunner.query(c, ctx, "SELECT a.attnum, a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull, "
                + "pg_catalog.pg_get_expr(d.adbin, d.adrelid) AS def, pg_catalog.col_description(a.attrelid, a.attnum) AS comment, "
                + "a.attidentity::text AS ident, a.attgenerated::text AS gen, a.attislocal, "
                + "CASE WHEN a.attcollation <> t.typcollation AND a.attcollation <> 0 THEN "
                + "(SELECT pg_catalog.quote_ident(cn.nspname) || '.' || pg_catalog.quote_ident(co.collname) FROM pg_catalog.pg_collation co "
                + "JOIN pg_catalog.pg_namespace cn ON cn.oid = co.collnamespace WHERE co.oid = a.attcollation) END AS coll "
                + "FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_type t ON t.oid = a.atttypid "
                + "LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum "
                + "WHERE a.attrelid = ?::oid AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum", List.of(relOid),
                rs -> {
                    String ident = rs.getString("ident");
                    String gen = rs.getString("gen");
                    return new ObjectDetails.Column(rs.getInt("attnum"), rs.getString("attname"), rs.getString("type"),
                            rs.getBoolean("attnotnull"), rs.getString("def"), rs.getString("comment"),
                            ident == null || ident.isEmpty() ? null : ident.equals("a") ? "ALWAYS" : "BY DEFAULT",
                            gen == null || gen.isEmpty() ? null : "STORED", rs.getBoolean("attislocal"), rs.getString("coll"));
                });
    }

    private List<ObjectDetails.Index> indexes(long relOid) throws SQLException {
        return SqlRunner.query(c, ctx, "SELECT ic.relname, pg_catalog.pg_get_indexdef(i.indexrelid) AS def, i.indisprimary, i.indisunique, "
                + "i.indisvalid, pg_catalog.pg_relation_size(i.indexrelid) AS bytes, EXISTS (SELECT 1 FROM pg_catalog.pg_constraint k "
                + "WHERE k.conindid = i.indexrelid AND k.conrelid = i.indrelid AND k.contype IN ('p','u','x')) AS backed "
                + "FROM pg_catalog.pg_index i JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid WHERE i.indrelid = ?::oid "
                + "ORDER BY ic.relname", List.of(relOid),
                rs -> new ObjectDetails.Index(rs.getString("relname"), rs.getString("def"), rs.getBoolean("indisprimary"),
                        rs.getBoolean("indisunique"), rs.getBoolean("indisvalid"), rs.getLong("bytes"), rs.getBoolean("backed")));
    }

    private List<ObjectDetails.Constraint> constraints(long relOid) throws SQLException {
        return SqlRunner.query(c, ctx, "SELECT conname, contype::text AS t, pg_catalog.pg_get_constraintdef(oid, true) AS def, conislocal "
                + "FROM pg_catalog.pg_constraint WHERE conrelid = ?::oid ORDER BY CASE contype WHEN 'p' THEN 0 WHEN 'u' THEN 1 "
                + "WHEN 'c' THEN 2 WHEN 'x' THEN 3 ELSE 4 END, conname", List.of(relOid),
                rs -> new ObjectDetails.Constraint(rs.getString("conname"), switch (rs.getString("t")) {
                    case "p" -> "primary key";
                    case "u" -> "unique";
                    case "c" -> "check";
                    case "f" -> "foreign key";
                    case "x" -> "exclusion";
                    case "t" -> "trigger";
                    default -> rs.getString("t");
                }, rs.getString("def"), rs.getBoolean("conislocal")));
    }

    private List<ObjectDetails.Trigger> triggers(long relOid) throws SQLException {
        return SqlRunner.query(c, ctx, "SELECT tgname, pg_catalog.pg_get_triggerdef(oid, true) AS def, tgenabled::text <> 'D' AS enabled "
                + "FROM pg_catalog.pg_trigger WHERE tgrelid = ?::oid AND NOT tgisinternal ORDER BY tgname", List.of(relOid),
                rs -> new ObjectDetails.Trigger(rs.getString("tgname"), rs.getString("def"), rs.getBoolean("enabled")));
    }

    private List<ObjectDetails.Privilege> privileges(String template, long oid) throws SQLException {
        String cols = "CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE pg_catalog.pg_get_userbyid(a.grantee) END AS grantee, "
                + "pg_catalog.pg_get_userbyid(a.grantor) AS grantor, a.privilege_type, a.is_grantable";
        return SqlRunner.query(c, ctx, String.format(template, cols) + " ORDER BY 1, 3", List.of(oid),
                rs -> new ObjectDetails.Privilege(rs.getString("grantee"), rs.getString("grantor"), rs.getString("privilege_type"),
                        rs.getBoolean("is_grantable")));
    }

    private String text(String sql, Object... params) throws SQLException {
        return SqlRunner.one(c, ctx, sql, List.of(params), rs -> rs.getString(1));
    }

    private static String stripSemicolon(String s) {
        s = s.strip();
        return s.endsWith(";") ? s.substring(0, s.length() - 1) : s;
    }

    private static String owner(CatalogObject o, String what, String owner) {
        return "ALTER " + what + " " + Sql.qualified(o.schema(), o.name()) + " OWNER TO " + Sql.quoteIdent(owner) + ";\n";
    }

    private static String comments(CatalogObject o, String comment, List<ObjectDetails.Column> columns) {
        StringBuilder sb = new StringBuilder();
        String q = Sql.qualified(o.schema(), o.name());
        String what = switch (o.kind()) {
            case VIEW -> "VIEW";
            case MATERIALIZED_VIEW -> "MATERIALIZED VIEW";
            case FOREIGN_TABLE -> "FOREIGN TABLE";
            default -> "TABLE";
        };
        if (comment != null) sb.append("COMMENT ON ").append(what).append(' ').append(q).append(" IS ").append(Sql.quoteLiteral(comment)).append(";\n");
        for (ObjectDetails.Column col : columns) {
            if (col.comment() != null) {
                sb.append("COMMENT ON COLUMN ").append(q).append('.').append(Sql.quoteIdent(col.name())).append(" IS ")
                        .append(Sql.quoteLiteral(col.comment())).append(";\n");
            }
        }
        return sb.toString();
    }

    private static String indexDdl(List<ObjectDetails.Index> indexes) {
        StringBuilder sb = new StringBuilder();
        for (ObjectDetails.Index i : indexes) if (!i.constraintBacked()) sb.append(i.definition()).append(";\n");
        return sb.toString();
    }

    private String tableDdl(CatalogObject o, Rel r, List<ObjectDetails.Column> columns, List<ObjectDetails.Constraint> constraints,
                            List<ObjectDetails.Index> indexes, List<ObjectDetails.Trigger> triggers, List<String> notes) throws SQLException {
        String q = Sql.qualified(o.schema(), o.name());
        StringBuilder sb = new StringBuilder("CREATE ");
        if (r.persistence.equals("u")) sb.append("UNLOGGED ");
        boolean foreign = r.relkind.equals("f");
        sb.append(foreign ? "FOREIGN TABLE " : "TABLE ").append(q);
        List<String> items = new ArrayList<>();
        for (ObjectDetails.Column col : columns) {
            if (r.partition && !col.local()) continue; // columns come from the parent
            StringBuilder cs = new StringBuilder("    ").append(Sql.quoteIdent(col.name())).append(' ').append(col.type());
            if (col.collation() != null) cs.append(" COLLATE ").append(col.collation());
            if (col.generated() != null) cs.append(" GENERATED ALWAYS AS (").append(col.defaultExpr()).append(") STORED");
            else if (col.defaultExpr() != null) cs.append(" DEFAULT ").append(col.defaultExpr());
            if (col.identity() != null) cs.append(" GENERATED ").append(col.identity()).append(" AS IDENTITY");
            if (col.notNull()) cs.append(" NOT NULL");
            items.add(cs.toString());
        }
        for (ObjectDetails.Constraint k : constraints) {
            if (!k.local()) continue; // inherited from the parent
            items.add("    CONSTRAINT " + Sql.quoteIdent(k.name()) + " " + k.definition());
        }
        List<String> inheritsFrom = List.of();
        if (!r.partition) {
            inheritsFrom = SqlRunner.query(c, ctx, "SELECT i.inhparent::regclass::text FROM pg_catalog.pg_inherits i WHERE i.inhrelid = ?::oid "
                    + "ORDER BY i.inhseqno", List.of(o.oid()), rs -> rs.getString(1));
        }
        if (r.partition) {
            sb.append(" PARTITION OF ").append(r.parent);
            if (!items.isEmpty()) sb.append(" (\n").append(String.join(",\n", items)).append("\n)");
            sb.append("\n    ").append(r.bound);
        } else {
            sb.append(" (\n").append(String.join(",\n", items)).append("\n)");
            if (!inheritsFrom.isEmpty()) sb.append("\nINHERITS (").append(String.join(", ", inheritsFrom)).append(")");
        }
        if (r.partKey != null) sb.append("\nPARTITION BY ").append(r.partKey);
        if (foreign) {
            String server = text("SELECT s.srvname FROM pg_catalog.pg_foreign_table f JOIN pg_catalog.pg_foreign_server s ON s.oid = f.ftserver WHERE f.ftrelid = ?::oid", o.oid());
            String opts = text("SELECT array_to_string(ftoptions, ', ') FROM pg_catalog.pg_foreign_table WHERE ftrelid = ?::oid", o.oid());
            sb.append("\nSERVER ").append(Sql.quoteIdent(server));
            if (opts != null && !opts.isEmpty()) {
                sb.append("\nOPTIONS (").append(opts).append(")");
                notes.add("Foreign table OPTIONS are shown as key=value pairs as stored; quote the values before running.");
            }
        }
        if (r.reloptions != null && !r.reloptions.isEmpty()) sb.append("\nWITH (").append(r.reloptions).append(")");
        if (r.tablespace != null) sb.append("\nTABLESPACE ").append(Sql.quoteIdent(r.tablespace));
        sb.append(";\n");
        String idx = indexDdl(indexes);
        if (!idx.isEmpty()) sb.append('\n').append(idx);
        if (!triggers.isEmpty()) {
            sb.append('\n');
            for (ObjectDetails.Trigger t : triggers) sb.append(t.definition()).append(";\n");
        }
        String cm = comments(o, r.comment, columns);
        if (!cm.isEmpty()) sb.append('\n').append(cm);
        sb.append('\n').append(owner(o, foreign ? "FOREIGN TABLE" : "TABLE", r.owner));
        notes.add("Assembled from the catalogs: constraints, indexes and triggers come from pg_get_constraintdef, "
                + "pg_get_indexdef and pg_get_triggerdef.");
        notes.add("Not included: GRANTs (see Privileges), column storage/statistics/compression settings, "
                + "sequences owned by columns, row-level security policies, publications and extended statistics.");
        if (r.partition) notes.add("Indexes of a partition are shown even when they are attached copies of the parent's indexes.");
        return sb.toString();
    }

    private String sequenceDdl(CatalogObject o) throws SQLException {
        return SqlRunner.one(c, ctx, "SELECT pg_catalog.format_type(seqtypid, NULL) AS t, seqstart, seqincrement, seqmin, seqmax, seqcache, seqcycle "
                + "FROM pg_catalog.pg_sequence WHERE seqrelid = ?::oid", List.of(o.oid()),
                rs -> "CREATE SEQUENCE " + Sql.qualified(o.schema(), o.name()) + "\n    AS " + rs.getString("t")
                        + "\n    INCREMENT BY " + rs.getLong("seqincrement") + "\n    MINVALUE " + rs.getLong("seqmin")
                        + "\n    MAXVALUE " + rs.getLong("seqmax") + "\n    START WITH " + rs.getLong("seqstart")
                        + "\n    CACHE " + rs.getLong("seqcache") + (rs.getBoolean("seqcycle") ? "\n    CYCLE" : "\n    NO CYCLE") + ";\n");
    }

    // ---- functions, types, extensions ---------------------------------------------------------------------

    private ObjectDetails function(CatalogObject o) throws SQLException {
        Map<String, String> props = new LinkedHashMap<>();
        String[] ownerComment = new String[2];
        SqlRunner.one(c, ctx, "SELECT pg_catalog.pg_get_userbyid(p.proowner) AS owner, pg_catalog.obj_description(p.oid, 'pg_proc') AS comment, "
                + "l.lanname, pg_catalog.pg_get_function_result(p.oid) AS result, p.provolatile::text AS vol, p.prosecdef "
                + "FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_language l ON l.oid = p.prolang WHERE p.oid = ?::oid", List.of(o.oid()), rs -> {
            ownerComment[0] = rs.getString("owner");
            ownerComment[1] = rs.getString("comment");
            props.put("Kind", o.kind().label());
            props.put("Owner", ownerComment[0]);
            if (ownerComment[1] != null) props.put("Comment", ownerComment[1]);
            props.put("Arguments", o.arguments());
            if (rs.getString("result") != null) props.put("Returns", rs.getString("result"));
            props.put("Language", rs.getString("lanname"));
            props.put("Volatility", switch (rs.getString("vol")) { case "i" -> "immutable"; case "s" -> "stable"; default -> "volatile"; });
            props.put("Security", rs.getBoolean("prosecdef") ? "definer" : "invoker");
            return null;
        });
        List<String> notes = new ArrayList<>();
        String ddl;
        if (o.kind() == ObjectKind.AGGREGATE) {
            ddl = "-- aggregate " + Sql.qualified(o.schema(), o.name()) + "(" + o.arguments() + "): the server has no pg_get_*def for aggregates\n";
            notes.add("Aggregates have no server-side DDL function; use pg_dump -t for their definition.");
        } else {
            ddl = text("SELECT pg_catalog.pg_get_functiondef(?::oid)", o.oid());
        }
        List<ObjectDetails.Privilege> privileges = privileges("SELECT %s FROM pg_catalog.pg_proc x CROSS JOIN LATERAL "
                + "pg_catalog.aclexplode(coalesce(x.proacl, pg_catalog.acldefault('f', x.proowner))) a WHERE x.oid = ?::oid", o.oid());
        return new ObjectDetails(o, ownerComment[0], ownerComment[1], props, null, null, null, null, null,
                List.of(), List.of(), List.of(), List.of(), privileges, ddl, notes);
    }

    private ObjectDetails type(CatalogObject o) throws SQLException {
        record T(String owner, String comment, String typtype, long typrelid, String base, boolean notNull, String def) {}
        T t = SqlRunner.one(c, ctx, "SELECT pg_catalog.pg_get_userbyid(t.typowner) AS owner, pg_catalog.obj_description(t.oid, 'pg_type') AS comment, "
                + "t.typtype::text AS tt, t.typrelid, pg_catalog.format_type(t.typbasetype, t.typtypmod) AS base, t.typnotnull, t.typdefault "
                + "FROM pg_catalog.pg_type t WHERE t.oid = ?::oid", List.of(o.oid()),
                rs -> new T(rs.getString("owner"), rs.getString("comment"), rs.getString("tt"), rs.getLong("typrelid"),
                        rs.getString("base"), rs.getBoolean("typnotnull"), rs.getString("typdefault")));
        String q = Sql.qualified(o.schema(), o.name());
        Map<String, String> props = new LinkedHashMap<>();
        props.put("Kind", switch (t.typtype) {
            case "e" -> "enum type";
            case "d" -> "domain";
            case "c" -> "composite type";
            case "r" -> "range type";
            case "m" -> "multirange type";
            default -> "base type";
        });
        props.put("Owner", t.owner);
        if (t.comment != null) props.put("Comment", t.comment);
        List<String> notes = new ArrayList<>();
        List<ObjectDetails.Column> columns = List.of();
        List<ObjectDetails.Constraint> constraints = List.of();
        String ddl;
        switch (t.typtype) {
            case "e" -> ddl = "CREATE TYPE " + q + " AS ENUM (" + text("SELECT string_agg(pg_catalog.quote_literal(enumlabel), ', ' ORDER BY enumsortorder) "
                    + "FROM pg_catalog.pg_enum WHERE enumtypid = ?::oid", o.oid()) + ");\n";
            case "d" -> {
                constraints = SqlRunner.query(c, ctx, "SELECT conname, pg_catalog.pg_get_constraintdef(oid, true) AS def FROM pg_catalog.pg_constraint "
                        + "WHERE contypid = ?::oid ORDER BY conname", List.of(o.oid()),
                        rs -> new ObjectDetails.Constraint(rs.getString("conname"), "check", rs.getString("def"), true));
                StringBuilder sb = new StringBuilder("CREATE DOMAIN " + q + " AS " + t.base);
                if (t.def != null) sb.append("\n    DEFAULT ").append(t.def);
                if (t.notNull) sb.append("\n    NOT NULL");
                for (ObjectDetails.Constraint k : constraints) sb.append("\n    CONSTRAINT ").append(Sql.quoteIdent(k.name())).append(' ').append(k.definition());
                ddl = sb.append(";\n").toString();
            }
            case "c" -> {
                columns = columns(t.typrelid);
                List<String> attrs = new ArrayList<>();
                for (ObjectDetails.Column col : columns) attrs.add("    " + Sql.quoteIdent(col.name()) + " " + col.type());
                ddl = "CREATE TYPE " + q + " AS (\n" + String.join(",\n", attrs) + "\n);\n";
            }
            case "r" -> ddl = "CREATE TYPE " + q + " AS RANGE (\n    SUBTYPE = " + text("SELECT pg_catalog.format_type(rngsubtype, NULL) "
                    + "FROM pg_catalog.pg_range WHERE rngtypid = ?::oid", o.oid()) + "\n);\n";
            default -> {
                ddl = "-- " + props.get("Kind") + " " + q + " is defined by C functions; the server has no pg_get_*def for it\n";
                notes.add("Base and multirange types have no server-side DDL function.");
            }
        }
        if (t.typtype.equals("r")) notes.add("Range DDL shows the subtype only (no subtype_diff, canonical or collation).");
        ddl += "ALTER TYPE " + q + " OWNER TO " + Sql.quoteIdent(t.owner) + ";\n";
        if (t.comment != null) ddl += "COMMENT ON TYPE " + q + " IS " + Sql.quoteLiteral(t.comment) + ";\n";
        List<ObjectDetails.Privilege> privileges = privileges("SELECT %s FROM pg_catalog.pg_type x CROSS JOIN LATERAL "
                + "pg_catalog.aclexplode(coalesce(x.typacl, pg_catalog.acldefault('T', x.typowner))) a WHERE x.oid = ?::oid", o.oid());
        return new ObjectDetails(o, t.owner, t.comment, props, null, null, null, null, null, columns, List.of(), constraints,
                List.of(), privileges, ddl, notes);
    }

    private ObjectDetails extension(CatalogObject o) throws SQLException {
        Map<String, String> props = new LinkedHashMap<>();
        String[] v = new String[3];
        SqlRunner.one(c, ctx, "SELECT e.extversion, pg_catalog.pg_get_userbyid(e.extowner) AS owner, "
                + "pg_catalog.obj_description(e.oid, 'pg_extension') AS comment FROM pg_catalog.pg_extension e WHERE e.oid = ?::oid",
                List.of(o.oid()), rs -> {
                    v[0] = rs.getString(1);
                    v[1] = rs.getString(2);
                    v[2] = rs.getString(3);
                    return null;
                });
        props.put("Kind", "extension");
        props.put("Version", v[0]);
        props.put("Owner", v[1]);
        if (v[2] != null) props.put("Comment", v[2]);
        String ddl = "CREATE EXTENSION " + Sql.quoteIdent(o.name()) + " WITH SCHEMA " + Sql.quoteIdent(o.schema())
                + " VERSION " + Sql.quoteLiteral(v[0]) + ";\n";
        return new ObjectDetails(o, v[1], v[2], props, null, null, null, null, null, List.of(), List.of(), List.of(), List.of(),
                List.of(), ddl, List.of());
    }
}
