package io.msyspg.console.core.browse;

import io.msyspg.console.core.common.ConsoleException;
import io.msyspg.console.core.common.Sql;
import io.msyspg.console.core.connect.DbSession;
import io.msyspg.console.core.task.JobCancelledException;
import io.msyspg.console.core.task.JobContext;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Rows of one table or view, read through a server-side cursor ({@code DECLARE … NO SCROLL CURSOR},
 * {@code FETCH FORWARD n}) inside a REPEATABLE READ, READ ONLY transaction: each page continues where the
 * last stopped, no row is read twice, and nothing can be written. Sorting declares a new cursor with a
 * server-side ORDER BY in the same snapshot. Values are cut at {@link #CELL_CHARS} characters on the
 * server; the full value is fetched on demand by (tableoid, ctid) in the same snapshot. Secret columns
 * ({@link SecretColumns}) are replaced by the server and never sent.
 * <p>
 * The open transaction holds an ACCESS SHARE lock and the snapshot: callers close the preview when the user
 * moves on or after an idle period (the view does after 2 minutes).
 */
public final class DataPreview implements AutoCloseable {
    public static final int CELL_CHARS = 10_000;
    public static final int DEFAULT_FETCH = 200;
    private static final String CURSOR = "msyspg_preview";

    public record Column(String name, String type, boolean masked) {}

    /** One row; {@code values.get(i) == null} is SQL NULL; {@code truncated[i]} says the value was cut. */
    public record Row(long tableOid, String ctid, List<String> values, boolean[] truncated) {}

    public record Batch(List<Row> rows, boolean exhausted) {}

    private final CatalogObject object;
    private final Connection conn;
    private final List<Column> columns;
    private final boolean hasCtid;
    private String sortColumn;
    private boolean descending;
    private boolean cursorOpen;
    private boolean exhausted;
    private long fetched;

    private DataPreview(CatalogObject object, Connection conn, List<Column> columns, boolean hasCtid) {
        this.object = object;
        this.conn = conn;
        this.columns = columns;
        this.hasCtid = hasCtid;
    }

    /** Opens the transaction and declares the cursor (unsorted). */
    public static DataPreview open(DbSession session, CatalogObject o, JobContext ctx) throws SQLException {
        if (!o.kind().hasData()) throw new ConsoleException(o.kind().label() + " " + o.name() + " has no rows to preview.");
        Connection c = session.borrow();
        try {
            c.setAutoCommit(false);
            SqlRunner.execute(c, "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
            SqlRunner.execute(c, "SET LOCAL lock_timeout = '3s'; SET LOCAL statement_timeout = '60s'");
            List<Column> cols = SqlRunner.query(c, ctx, "SELECT a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod) "
                    + "FROM pg_catalog.pg_attribute a WHERE a.attrelid = ?::oid AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum",
                    List.of(o.oid()), rs -> new Column(rs.getString(1), rs.getString(2), SecretColumns.isSecret(o.schema(), rs.getString(1))));
            boolean ctid = o.kind() == ObjectKind.TABLE || o.kind() == ObjectKind.PARTITIONED_TABLE || o.kind() == ObjectKind.MATERIALIZED_VIEW;
            DataPreview p = new DataPreview(o, c, cols, ctid);
            p.declare(null, false, ctx);
            return p;
        } catch (SQLException | RuntimeException e) {
            CatalogService.rollbackQuietly(c);
            try { c.setAutoCommit(true); } catch (SQLException ignored) { /* discarded */ }
            c.close();
            throw e;
        }
    }

    private static RuntimeException translateRt(CatalogObject o, SQLException e) {
        String q = Sql.qualified(o.schema(), o.name());
        if ("55P03".equals(e.getSQLState())) {
            return new ConsoleException(q + " is locked by another session (waited 3 s): try the preview again later.", e);
        }
        if ("53200".equals(e.getSQLState())) {
            return new ConsoleException("Previewing " + q + " needs a lock on each of its partitions, more than the server's lock table "
                    + "holds (max_locks_per_transaction): preview a single partition instead.", e);
        }
        if ("42501".equals(e.getSQLState())) {
            return new ConsoleException("You may not read " + q + ": " + e.getMessage(), e);
        }
        return null;
    }

    public CatalogObject object() { return object; }

    public List<Column> columns() { return columns; }

    public String sortColumn() { return sortColumn; }

    public boolean descending() { return descending; }

    public boolean exhausted() { return exhausted; }

    /** Rows fetched since the last (re)declare. */
    public long fetched() { return fetched; }

    /** Closes the current cursor and declares a new one ordered by {@code column} (null: unsorted), in the same snapshot. */
    public synchronized void sort(String column, boolean desc, JobContext ctx) throws SQLException {
        if (column != null && columns.stream().noneMatch(c -> c.name().equals(column))) {
            throw new ConsoleException("No column " + Sql.quoteIdent(column) + " in " + Sql.qualified(object.schema(), object.name()) + ".");
        }
        declare(column, desc, ctx);
    }

    private void declare(String column, boolean desc, JobContext ctx) throws SQLException {
        if (cursorOpen) SqlRunner.execute(conn, "CLOSE " + CURSOR);
        cursorOpen = false;
        StringBuilder sql = new StringBuilder("DECLARE " + CURSOR + " NO SCROLL CURSOR FOR SELECT ");
        if (hasCtid) sql.append("tableoid::oid AS \"msyspg$tableoid\", ctid::text AS \"msyspg$ctid\", ");
        for (int i = 0; i < columns.size(); i++) {
            Column col = columns.get(i);
            if (i > 0) sql.append(", ");
            String q = Sql.quoteIdent(col.name());
            if (col.masked()) sql.append("CASE WHEN ").append(q).append(" IS NULL THEN NULL ELSE '").append(SecretColumns.MASK).append("' END");
            else sql.append("left(").append(q).append("::text, ").append(CELL_CHARS + 1).append(")");
        }
        if (columns.isEmpty()) sql.append("NULL");
        sql.append(" FROM ").append(Sql.qualified(object.schema(), object.name()));
        if (column != null) sql.append(" ORDER BY ").append(Sql.quoteIdent(column)).append(desc ? " DESC NULLS LAST" : " ASC NULLS LAST");
        try (Statement s = conn.createStatement()) {
            ctx.onCancel(() -> SqlRunner.cancelQuietly(s));
            s.execute(sql.toString());
        } catch (SQLException e) {
            if (ctx.isCancelled()) throw new JobCancelledException();
            RuntimeException t = translateRt(object, e);
            if (t != null) throw t;
            throw e;
        }
        cursorOpen = true;
        exhausted = false;
        fetched = 0;
        sortColumn = column;
        descending = desc;
    }

    /** The next {@code n} rows of the cursor. */
    public synchronized Batch fetch(int n, JobContext ctx) throws SQLException {
        if (!cursorOpen) throw new ConsoleException("The preview of " + Sql.qualified(object.schema(), object.name()) + " is closed: reopen it.");
        if (exhausted) return new Batch(List.of(), true);
        List<Row> rows = new ArrayList<>(n);
        try (Statement s = conn.createStatement()) {
            ctx.onCancel(() -> SqlRunner.cancelQuietly(s));
            try (ResultSet rs = s.executeQuery("FETCH FORWARD " + n + " FROM " + CURSOR)) {
                int off = hasCtid ? 2 : 0;
                while (rs.next()) {
                    List<String> vals = new ArrayList<>(columns.size());
                    boolean[] cut = new boolean[columns.size()];
                    for (int i = 0; i < columns.size(); i++) {
                        String v = rs.getString(off + i + 1);
                        if (v != null && v.length() > CELL_CHARS) {
                            v = v.substring(0, CELL_CHARS);
                            cut[i] = true;
                        }
                        vals.add(v);
                    }
                    rows.add(new Row(hasCtid ? rs.getLong(1) : 0, hasCtid ? rs.getString(2) : null, vals, cut));
                }
            }
        } catch (SQLException e) {
            if (ctx.isCancelled()) {
                closeQuietly();
                throw new JobCancelledException();
            }
            throw e;
        }
        fetched += rows.size();
        if (rows.size() < n) exhausted = true;
        return new Batch(rows, exhausted);
    }

    /** The whole value of one cell, read again in the preview's snapshot. */
    public synchronized String fullValue(Row row, int column, JobContext ctx) throws SQLException {
        Column col = columns.get(column);
        if (col.masked()) throw new ConsoleException("Column " + Sql.quoteIdent(col.name()) + " holds secrets: its values are never shown.");
        if (!row.truncated()[column]) return row.values().get(column);
        if (!hasCtid || row.ctid() == null) {
            throw new ConsoleException("The full value is not available for a " + object.kind().label()
                    + " (no row address): it was cut at " + CELL_CHARS + " characters.");
        }
        String rel = SqlRunner.one(conn, ctx, "SELECT pg_catalog.quote_ident(n.nspname) || '.' || pg_catalog.quote_ident(c.relname) "
                + "FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = ?::oid",
                List.of(row.tableOid()), rs -> rs.getString(1));
        if (rel == null) throw new ConsoleException("The row's table no longer exists.");
        try (PreparedStatement ps = conn.prepareStatement("SELECT " + Sql.quoteIdent(col.name()) + "::text FROM ONLY " + rel + " WHERE ctid = ?::tid")) {
            ps.setString(1, row.ctid());
            ctx.onCancel(() -> SqlRunner.cancelQuietly(ps));
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) throw new ConsoleException("The row is no longer at " + row.ctid() + ".");
                return rs.getString(1);
            }
        }
    }

    public synchronized boolean isOpen() {
        return cursorOpen;
    }

    private void closeQuietly() {
        try {
            close();
        } catch (RuntimeException ignored) {
            // best effort
        }
    }

    /** Ends the transaction (releasing its lock and snapshot) and gives the connection back. */
    @Override public synchronized void close() {
        try {
            if (conn.isClosed()) return;
            cursorOpen = false;
            CatalogService.rollbackQuietly(conn);
            conn.setAutoCommit(true);
            conn.close();
        } catch (SQLException ignored) {
            // the pool discards a broken connection
        }
    }
}
