package io.msyspg.console.core.browse;

import io.msyspg.console.core.task.JobCancelledException;
import io.msyspg.console.core.task.JobContext;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** Runs one bound statement with the job's Cancel wired to {@code Statement.cancel()}. */
final class SqlRunner {
    private SqlRunner() {}

    @FunctionalInterface
    interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    static <T> List<T> query(Connection c, JobContext ctx, String sql, List<?> params, RowMapper<T> mapper) throws SQLException {
        ctx.checkCancelled();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, params);
            ctx.onCancel(() -> cancelQuietly(ps));
            try (ResultSet rs = ps.executeQuery()) {
                List<T> out = new ArrayList<>();
                while (rs.next()) out.add(mapper.map(rs));
                return out;
            }
        } catch (SQLException e) {
            if (ctx.isCancelled() || "57014".equals(e.getSQLState()) && ctx.isCancelled()) throw new JobCancelledException();
            throw e;
        }
    }

    static <T> T one(Connection c, JobContext ctx, String sql, List<?> params, RowMapper<T> mapper) throws SQLException {
        List<T> rows = query(c, ctx, sql, params, mapper);
        return rows.isEmpty() ? null : rows.get(0);
    }

    static void execute(Connection c, String sql) throws SQLException {
        try (var s = c.createStatement()) {
            s.execute(sql);
        }
    }

    static void bind(PreparedStatement ps, List<?> params) throws SQLException {
        for (int i = 0; i < params.size(); i++) {
            Object p = params.get(i);
            if (p instanceof String s) ps.setString(i + 1, s);
            else if (p instanceof Long l) ps.setLong(i + 1, l);
            else if (p instanceof Integer n) ps.setInt(i + 1, n);
            else if (p instanceof Boolean b) ps.setBoolean(i + 1, b);
            else if (p == null) ps.setNull(i + 1, java.sql.Types.VARCHAR);
            else ps.setObject(i + 1, p);
        }
    }

    static void cancelQuietly(java.sql.Statement s) {
        try {
            s.cancel();
        } catch (SQLException | RuntimeException ignored) {
            // already finished or closed
        }
    }

    static Long nullableLong(ResultSet rs, String col) throws SQLException {
        long v = rs.getLong(col);
        return rs.wasNull() ? null : v;
    }
}
