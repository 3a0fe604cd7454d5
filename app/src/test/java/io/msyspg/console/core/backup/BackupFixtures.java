package io.msyspg.console.core.backup;

import io.msyspg.console.core.common.AppDirs;
import io.msyspg.console.core.connect.DbSession;
import io.msyspg.console.core.tools.PgToolLocator;
import io.msyspg.console.testsupport.TestPg;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Representative content and content checksums for backup tests (real server only). */
public final class BackupFixtures {
    private BackupFixtures() {}

    public static final PgToolLocator TOOLS = PgToolLocator.standard(null);

    public static BackupService service(Path stateDir) {
        return new BackupService(TOOLS, BackupHistory.in(new AppDirs(stateDir.resolve("config"), stateDir.resolve("state"), stateDir.resolve("cache"))));
    }

    /** Several schemas, a partitioned table, odd identifiers, large values, NULLs, arrays, jsonb, a view, a sequence. */
    public static void representative(DbSession s) throws SQLException {
        try (Connection c = s.borrow(); Statement st = c.createStatement()) {
            st.execute("""
                    CREATE SCHEMA app;
                    CREATE SCHEMA "Odd Schema";
                    CREATE TABLE app.customers(id serial PRIMARY KEY, name text NOT NULL, tags text[], meta jsonb, created timestamptz DEFAULT now());
                    INSERT INTO app.customers(name, tags, meta, created)
                      SELECT 'cust ' || g || ' ünïcødé ✓', ARRAY['a'||g, NULL, 'b'], jsonb_build_object('n', g, 'q', 'x"y'), '2026-01-01'::timestamptz + g * interval '1 hour'
                      FROM generate_series(1, 3000) g;
                    CREATE TABLE app.orders(id bigint PRIMARY KEY, customer int REFERENCES app.customers(id), amount numeric(12,2), note text);
                    INSERT INTO app.orders SELECT g, 1 + g % 3000, g * 1.25, CASE WHEN g % 7 = 0 THEN NULL ELSE E'line1\\nline2\\ttab' END FROM generate_series(1, 20000) g;
                    CREATE INDEX ON app.orders(customer);
                    CREATE VIEW app.big_orders AS SELECT * FROM app.orders WHERE amount > 1000;
                    CREATE TABLE public.stats(ts date NOT NULL, mta text, delivered int) PARTITION BY RANGE (ts);
                    CREATE TABLE public.stats_2026_01 PARTITION OF public.stats FOR VALUES FROM ('2026-01-01') TO ('2026-02-01');
                    CREATE TABLE public.stats_2026_02 PARTITION OF public.stats FOR VALUES FROM ('2026-02-01') TO ('2026-03-01');
                    CREATE TABLE public.stats_default PARTITION OF public.stats DEFAULT;
                    INSERT INTO public.stats SELECT '2026-01-01'::date + (g % 90), 'mta' || (g % 5), g FROM generate_series(1, 9000) g;
                    CREATE TABLE "Odd Schema"."We ird ""Table""\" ("Col With Space" text, "ÜBER" int, "select" bool);
                    INSERT INTO "Odd Schema"."We ird ""Table""\" VALUES ('a;b', 1, true), (E'quote''s \\\\ back', NULL, false), (NULL, 3, NULL);
                    CREATE TABLE app.blobs(id int PRIMARY KEY, big text, bin bytea);
                    INSERT INTO app.blobs VALUES (1, repeat('large value ', 300000), decode(repeat('deadbeef', 250000), 'hex')),
                                                 (2, '', '\\x00'), (3, NULL, NULL);
                    CREATE SEQUENCE app.counter START 42;
                    SELECT setval('app.counter', 4242);
                    COMMENT ON TABLE app.orders IS 'orders; with "quotes"';
                    """);
        }
    }

    /** Per-table row count and md5 of all rows ordered, for every ordinary table (partitions included). */
    public static Map<String, String> contentChecksums(DbSession s) throws SQLException {
        Map<String, String> out = new TreeMap<>();
        List<String> tables = new ArrayList<>();
        try (Connection c = s.borrow(); Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT format('%I.%I', n.nspname, c.relname) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                    + "WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog','information_schema') AND n.nspname !~ '^pg_toast'")) {
                while (rs.next()) tables.add(rs.getString(1));
            }
            for (String t : tables) {
                try (ResultSet rs = st.executeQuery("SELECT count(*), md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) FROM " + t + " x")) {
                    rs.next();
                    out.put(t, rs.getLong(1) + " rows, md5 " + rs.getString(2));
                }
            }
            try (ResultSet rs = st.executeQuery("SELECT last_value FROM app.counter")) {
                if (rs.next()) out.put("sequence app.counter", Long.toString(rs.getLong(1)));
            } catch (SQLException noSequence) {
                // not every fixture has it
            }
        }
        return out;
    }

    public static String createDatabase(String prefix) throws SQLException {
        return TestPg.createDatabase(prefix);
    }

    /** Rows of big, compressible data so that a dump takes a few seconds with -Z 9. */
    public static void bulk(DbSession s, int rows) throws SQLException {
        try (Connection c = s.borrow(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE IF NOT EXISTS public.bulk_a(id int, payload text)");
            st.execute("CREATE TABLE IF NOT EXISTS public.bulk_b(id int, payload text)");
            st.execute("INSERT INTO public.bulk_a SELECT g, md5(g::text) || repeat(md5((g*7)::text), 12) FROM generate_series(1, " + rows + ") g");
            st.execute("INSERT INTO public.bulk_b SELECT g, md5(g::text) || repeat(md5((g*3)::text), 12) FROM generate_series(1, " + rows + ") g");
        }
    }
}
