package io.msyspg.console.core.browse;

import io.msyspg.console.core.common.ConsoleException;
import io.msyspg.console.core.common.Sql;
import io.msyspg.console.core.connect.DbSession;
import io.msyspg.console.core.task.JobCancelledException;
import io.msyspg.console.core.task.JobContext;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The schema browser's catalog queries, for PostgreSQL 12-17. Rules: one statement per folder page (no query
 * per object), the name filter is an ILIKE pattern bound as a parameter, pages are keyset-paged by
 * (name, oid) so a 20,000-partition parent costs the same as a 20-partition one, and partitions are listed
 * only under their parent. Every call borrows a pooled connection and honours the job's Cancel.
 */
public final class CatalogService {
    public static final int DEFAULT_PAGE_SIZE = 500;
    private static final String SYSTEM_SCHEMA =
            "(n.nspname IN ('pg_catalog','information_schema') OR n.nspname LIKE 'pg\\_toast%' OR n.nspname LIKE 'pg\\_temp\\_%')";
    private static final String NS = "(SELECT ns.oid FROM pg_catalog.pg_namespace ns WHERE ns.nspname = ?)";

    private final DbSession session;

    public CatalogService(DbSession session) {
        this.session = session;
    }

    public DbSession session() { return session; }

    /** Databases a user can connect to (no templates). */
    public List<String> databases(JobContext ctx) throws SQLException {
        try (Connection c = session.borrow()) {
            return SqlRunner.query(c, ctx, "SELECT datname FROM pg_catalog.pg_database WHERE datallowconn AND NOT datistemplate ORDER BY datname",
                    List.of(), rs -> rs.getString(1));
        }
    }

    /** Schemas of the session's database; system schemas (pg_catalog, information_schema, pg_toast…) only when asked. */
    public List<SchemaInfo> schemas(boolean includeSystem, JobContext ctx) throws SQLException {
        String sql = "SELECT n.nspname, pg_catalog.pg_get_userbyid(n.nspowner) AS owner, "
                + "pg_catalog.obj_description(n.oid, 'pg_namespace') AS comment, " + SYSTEM_SCHEMA + " AS system "
                + "FROM pg_catalog.pg_namespace n "
                + (includeSystem ? "" : "WHERE NOT " + SYSTEM_SCHEMA + " ")
                + "ORDER BY n.nspname";
        try (Connection c = session.borrow()) {
            return SqlRunner.query(c, ctx, sql, List.of(),
                    rs -> new SchemaInfo(rs.getString(1), rs.getString(2), rs.getString(3), rs.getBoolean(4)));
        }
    }

    /** One page of a folder: the first page with {@link Page.PageKey#FIRST}. {@code filter} is plain text (or null). */
    public Page folder(String schema, Folder folder, String filter, Page.PageKey after, int pageSize, JobContext ctx) throws SQLException {
        List<Object> params = new ArrayList<>();
        String sql = folderSql(folder, schema, filter, params) ;
        params.add(after.name());
        params.add(after.oid());
        params.add(pageSize + 1);
        try (Connection c = session.borrow()) {
            List<CatalogObject> rows = SqlRunner.query(c, ctx, sql, params, rs -> row(rs, schema, folder));
            return page(rows, pageSize);
        }
    }

    /**
     * How many objects each folder of a schema holds (with the filter), in one statement: one pass over the
     * schema's pg_class rows for the five relation folders (FILTER clauses), one sub-select each for functions,
     * types and extensions.
     */
    public Map<Folder, Long> counts(String schema, String filter, JobContext ctx) throws SQLException {
        List<Object> params = new ArrayList<>(); // in text order: the three sub-selects, then the pg_class pass
        StringBuilder sql = new StringBuilder("SELECT r.*");
        for (Folder f : List.of(Folder.FUNCTIONS, Folder.TYPES, Folder.EXTENSIONS)) {
            sql.append(", (").append(countSql(f, schema, filter, params)).append(") AS ").append(f.key());
        }
        sql.append(" FROM (SELECT ");
        List<Folder> rels = List.of(Folder.TABLES, Folder.VIEWS, Folder.MATERIALIZED_VIEWS, Folder.SEQUENCES, Folder.FOREIGN_TABLES);
        for (int i = 0; i < rels.size(); i++) {
            if (i > 0) sql.append(", ");
            sql.append("count(*) FILTER (WHERE c.relkind IN ").append(relkinds(rels.get(i))).append(") AS ").append(rels.get(i).key());
        }
        sql.append(" FROM pg_catalog.pg_class c WHERE c.relnamespace = ").append(NS)
                .append(" AND NOT c.relispartition AND c.relkind IN ('r','p','v','m','S','f')");
        params.add(schema);
        if (filter != null && !filter.isBlank()) {
            sql.append(" AND c.relname ILIKE ?");
            params.add(Sql.containsPattern(filter.strip()));
        }
        sql.append(") r");
        List<Object> bind = params;
        try (Connection c = session.borrow()) {
            Map<Folder, Long> out = new EnumMap<>(Folder.class);
            SqlRunner.one(c, ctx, sql.toString(), bind, rs -> {
                for (Folder f : Folder.values()) out.put(f, rs.getLong(f.key()));
                return out;
            });
            return out;
        }
    }

    /** Count of one folder (same statement shape as {@link #counts}, one sub-select). */
    public long count(String schema, Folder folder, String filter, JobContext ctx) throws SQLException {
        List<Object> params = new ArrayList<>();
        String sql = countSql(folder, schema, filter, params);
        try (Connection c = session.borrow()) {
            return SqlRunner.one(c, ctx, sql, params, rs -> rs.getLong(1));
        }
    }

    /** Direct partitions of a partitioned table, keyset-paged by name (they may live in other schemas). */
    public Page partitions(long parentOid, String filter, Page.PageKey after, int pageSize, JobContext ctx) throws SQLException {
        List<Object> params = new ArrayList<>();
        params.add(parentOid);
        String f = "";
        if (filter != null && !filter.isBlank()) {
            f = " AND c.relname ILIKE ?";
            params.add(Sql.containsPattern(filter.strip()));
        }
        params.add(after.name());
        params.add(after.oid());
        params.add(pageSize + 1);
        String sql = "SELECT c.oid, n.nspname, c.relname, c.relkind, pg_catalog.pg_get_expr(c.relpartbound, c.oid) AS bound, "
                + "CASE WHEN c.relkind = 'p' THEN (SELECT count(*) FROM pg_catalog.pg_inherits i2 WHERE i2.inhparent = c.oid) ELSE -1 END AS parts "
                + "FROM pg_catalog.pg_inherits i JOIN pg_catalog.pg_class c ON c.oid = i.inhrelid "
                + "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
                + "WHERE i.inhparent = ?::oid" + f + " AND (c.relname, c.oid) > (?::name, ?::oid) "
                + "ORDER BY c.relname, c.oid LIMIT ?";
        try (Connection c = session.borrow()) {
            List<CatalogObject> rows = SqlRunner.query(c, ctx, sql, params, rs -> new CatalogObject(rs.getString("nspname"),
                    rs.getString("relname"), rs.getLong("oid"), ObjectKind.ofRelkind(rs.getString("relkind")), null,
                    rs.getLong("parts"), rs.getString("bound"), true));
            return page(rows, pageSize);
        }
    }

    public long partitionCount(long parentOid, String filter, JobContext ctx) throws SQLException {
        List<Object> params = new ArrayList<>();
        params.add(parentOid);
        String f = "";
        if (filter != null && !filter.isBlank()) {
            f = " AND c.relname ILIKE ?";
            params.add(Sql.containsPattern(filter.strip()));
        }
        try (Connection c = session.borrow()) {
            return SqlRunner.one(c, ctx, "SELECT count(*) FROM pg_catalog.pg_inherits i JOIN pg_catalog.pg_class c ON c.oid = i.inhrelid "
                    + "WHERE i.inhparent = ?::oid" + f, params, rs -> rs.getLong(1));
        }
    }

    /**
     * Objects whose name contains {@code text} (case-insensitive) in every non-system schema: relations
     * (partitions included, marked), functions, types. One statement, at most {@code limit} rows.
     */
    public List<CatalogObject> search(String text, boolean includeSystem, int limit, JobContext ctx) throws SQLException {
        if (text == null || text.isBlank()) return List.of();
        String pat = Sql.containsPattern(text.strip());
        String sys = includeSystem ? "" : " AND NOT " + SYSTEM_SCHEMA;
        String sql = "SELECT * FROM ("
                + "SELECT n.nspname, c.relname AS name, c.oid, 'r' AS src, c.relkind::text AS k, NULL AS args, c.relispartition AS part "
                + "FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
                + "WHERE c.relkind IN ('r','p','v','m','S','f') AND c.relname ILIKE ?" + sys
                + " UNION ALL SELECT n.nspname, p.proname, p.oid, 'p', p.prokind::text, pg_catalog.pg_get_function_identity_arguments(p.oid), false "
                + "FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace "
                + "WHERE p.proname ILIKE ?" + sys
                + " UNION ALL SELECT n.nspname, t.typname, t.oid, 't', t.typtype::text, NULL, false "
                + "FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace "
                + "WHERE t.typname ILIKE ? AND t.typtype IN ('c','d','e','r') AND t.typcategory <> 'A' "
                + "AND (t.typrelid = 0 OR (SELECT cc.relkind = 'c' FROM pg_catalog.pg_class cc WHERE cc.oid = t.typrelid))" + sys
                + ") x ORDER BY (lower(name) = lower(?)) DESC, part, name, nspname LIMIT ?";
        try (Connection c = session.borrow()) {
            return SqlRunner.query(c, ctx, sql, List.of(pat, pat, pat, text.strip(), limit), rs -> {
                String src = rs.getString("src");
                ObjectKind kind = switch (src) {
                    case "r" -> ObjectKind.ofRelkind(rs.getString("k"));
                    case "p" -> ObjectKind.ofProkind(rs.getString("k"));
                    default -> ObjectKind.TYPE;
                };
                return new CatalogObject(rs.getString("nspname"), rs.getString("name"), rs.getLong("oid"), kind,
                        rs.getString("args"), -1, null, rs.getBoolean("part"));
            });
        }
    }

    /** Objects named exactly {@code name} in {@code schema} (several for overloaded functions). */
    public List<CatalogObject> resolve(String schema, String name, JobContext ctx) throws SQLException {
        String sql = "SELECT c.oid, c.relname AS name, 'r' AS src, c.relkind::text AS k, NULL AS args, c.relispartition AS part, "
                + "pg_catalog.pg_get_expr(c.relpartbound, c.oid) AS bound "
                + "FROM pg_catalog.pg_class c WHERE c.relnamespace = " + NS + " AND c.relname = ? AND c.relkind IN ('r','p','v','m','S','f') "
                + "UNION ALL SELECT p.oid, p.proname, 'p', p.prokind::text, pg_catalog.pg_get_function_identity_arguments(p.oid), false, NULL "
                + "FROM pg_catalog.pg_proc p WHERE p.pronamespace = " + NS + " AND p.proname = ? "
                + "UNION ALL SELECT t.oid, t.typname, 't', t.typtype::text, NULL, false, NULL FROM pg_catalog.pg_type t "
                + "WHERE t.typnamespace = " + NS + " AND t.typname = ? AND t.typcategory <> 'A' "
                + "AND (t.typrelid = 0 OR (SELECT cc.relkind = 'c' FROM pg_catalog.pg_class cc WHERE cc.oid = t.typrelid)) "
                + "UNION ALL SELECT e.oid, e.extname, 'e', NULL, NULL, false, NULL FROM pg_catalog.pg_extension e "
                + "WHERE e.extnamespace = " + NS + " AND e.extname = ? ORDER BY 2, 1";
        try (Connection c = session.borrow()) {
            return SqlRunner.query(c, ctx, sql, List.of(schema, name, schema, name, schema, name, schema, name), rs -> {
                String src = rs.getString("src");
                ObjectKind kind = switch (src) {
                    case "r" -> ObjectKind.ofRelkind(rs.getString("k"));
                    case "p" -> ObjectKind.ofProkind(rs.getString("k"));
                    case "e" -> ObjectKind.EXTENSION;
                    default -> ObjectKind.TYPE;
                };
                return new CatalogObject(schema, rs.getString("name"), rs.getLong("oid"), kind, rs.getString("args"),
                        -1, rs.getString("bound"), rs.getBoolean("part"));
            });
        }
    }

    /** The details pane's content for one object. */
    public ObjectDetails details(CatalogObject o, JobContext ctx) throws SQLException {
        try (Connection c = session.borrow()) {
            c.setAutoCommit(false);
            try {
                // never queue behind an exclusive lock (VACUUM FULL, DETACH PARTITION) on a production server
                SqlRunner.execute(c, "SET LOCAL lock_timeout = '3s'; SET LOCAL statement_timeout = '60s'");
                ObjectDetails d = new DetailsReader(c, ctx, session.serverVersion().major()).read(o);
                c.commit();
                return d;
            } catch (SQLException e) {
                rollbackQuietly(c);
                if ("55P03".equals(e.getSQLState())) {
                    throw new ConsoleException("The details of " + Sql.qualified(o.schema(), o.name())
                            + " are locked by another session (waited 3 s): try again later.", e);
                }
                throw e;
            } catch (RuntimeException e) {
                rollbackQuietly(c);
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // connection broken: the pool discards it
        }
    }

    // ---- SQL builders -------------------------------------------------------------------------------------

    private static String relkinds(Folder f) {
        return switch (f) {
            case TABLES -> "('r','p')";
            case VIEWS -> "('v')";
            case MATERIALIZED_VIEWS -> "('m')";
            case SEQUENCES -> "('S')";
            case FOREIGN_TABLES -> "('f')";
            default -> throw new IllegalArgumentException(f.name());
        };
    }

    private static boolean isRelationFolder(Folder f) {
        return f != Folder.FUNCTIONS && f != Folder.TYPES && f != Folder.EXTENSIONS;
    }

    private static String nameColumn(Folder f) {
        return switch (f) {
            case FUNCTIONS -> "p.proname";
            case TYPES -> "t.typname";
            case EXTENSIONS -> "e.extname";
            default -> "c.relname";
        };
    }

    /** FROM + WHERE for a folder (no keyset), adding its parameters. */
    private static String fromWhere(Folder f, String schema, String filter, List<Object> params) {
        params.add(schema);
        String base = switch (f) {
            case FUNCTIONS -> "FROM pg_catalog.pg_proc p WHERE p.pronamespace = " + NS + " AND p.prokind IN ('f','p','a','w')";
            case TYPES -> "FROM pg_catalog.pg_type t WHERE t.typnamespace = " + NS
                    + " AND t.typtype IN ('b','c','d','e','r','m') AND t.typcategory <> 'A'"
                    + " AND (t.typrelid = 0 OR (SELECT cc.relkind = 'c' FROM pg_catalog.pg_class cc WHERE cc.oid = t.typrelid))";
            case EXTENSIONS -> "FROM pg_catalog.pg_extension e WHERE e.extnamespace = " + NS;
            default -> "FROM pg_catalog.pg_class c WHERE c.relnamespace = " + NS + " AND c.relkind IN " + relkinds(f)
                    + " AND NOT c.relispartition";
        };
        if (filter != null && !filter.isBlank()) {
            base += " AND " + nameColumn(f) + " ILIKE ?";
            params.add(Sql.containsPattern(filter.strip()));
        }
        return base;
    }

    private static String countSql(Folder f, String schema, String filter, List<Object> params) {
        return "SELECT count(*) " + fromWhere(f, schema, filter, params);
    }

    private static String folderSql(Folder f, String schema, String filter, List<Object> params) {
        String cols = switch (f) {
            case FUNCTIONS -> "p.oid, p.proname AS name, p.prokind::text AS k, pg_catalog.pg_get_function_identity_arguments(p.oid) AS args, -1::bigint AS parts";
            case TYPES -> "t.oid, t.typname AS name, t.typtype::text AS k, NULL AS args, -1::bigint AS parts";
            case EXTENSIONS -> "e.oid, e.extname AS name, NULL AS k, NULL AS args, -1::bigint AS parts";
            default -> "c.oid, c.relname AS name, c.relkind::text AS k, NULL AS args, "
                    + "CASE WHEN c.relkind = 'p' THEN (SELECT count(*) FROM pg_catalog.pg_inherits i WHERE i.inhparent = c.oid) ELSE -1 END AS parts";
        };
        String oidCol = switch (f) {
            case FUNCTIONS -> "p.oid";
            case TYPES -> "t.oid";
            case EXTENSIONS -> "e.oid";
            default -> "c.oid";
        };
        String name = nameColumn(f);
        return "SELECT " + cols + " " + fromWhere(f, schema, filter, params)
                + " AND (" + name + ", " + oidCol + ") > (?::name, ?::oid) ORDER BY " + name + ", " + oidCol + " LIMIT ?";
    }

    private static CatalogObject row(ResultSet rs, String schema, Folder f) throws SQLException {
        ObjectKind kind = switch (f) {
            case FUNCTIONS -> ObjectKind.ofProkind(rs.getString("k"));
            case TYPES -> ObjectKind.TYPE;
            case EXTENSIONS -> ObjectKind.EXTENSION;
            default -> ObjectKind.ofRelkind(rs.getString("k"));
        };
        return new CatalogObject(schema, rs.getString("name"), rs.getLong("oid"), kind, rs.getString("args"),
                rs.getLong("parts"), null, false);
    }

    private static Page page(List<CatalogObject> rows, int pageSize) {
        if (rows.size() <= pageSize) return new Page(List.copyOf(rows), null);
        List<CatalogObject> items = List.copyOf(rows.subList(0, pageSize));
        CatalogObject last = items.get(items.size() - 1);
        return new Page(items, new Page.PageKey(last.name(), last.oid()));
    }

    /** "1.2 MB" style sizes for display. */
    public static String humanBytes(long bytes) {
        if (bytes < 0) return "not computed";
        if (bytes < 1024) return bytes + " bytes";
        String[] units = {"kB", "MB", "GB", "TB", "PB"};
        double v = bytes;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }

    static void checkCancelled(JobContext ctx) {
        if (ctx.isCancelled()) throw new JobCancelledException();
    }

    /** Unused placeholder to keep the map ordered in JSON. */
    static Map<String, String> props() { return new LinkedHashMap<>(); }
}
