package io.msyspg.console.core.browse;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/** The objects every browse test works on: a partitioned rt_log table, webconsole users, odd identifiers. */
public final class BrowseFixture {
    public static final int PARTITIONS = 30;
    public static final String[] ODD_TABLES = {"select", "Order Table", "ünïcødé", "a\"quote", "100%_done", "100x_done", "MixedCase"};

    private BrowseFixture() {}

    public static void create(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("""
                    CREATE SCHEMA rt_log;
                    CREATE TABLE rt_log.stats (day date NOT NULL, domain text NOT NULL, delivered bigint DEFAULT 0,
                        CONSTRAINT stats_pk PRIMARY KEY (day, domain)) PARTITION BY RANGE (day);
                    DO $$ BEGIN FOR i IN 0..29 LOOP
                      EXECUTE format('CREATE TABLE rt_log.%I PARTITION OF rt_log.stats FOR VALUES FROM (%L) TO (%L)',
                        'stats_' || to_char(date '2026-01-01' + i, 'YYYY_MM_DD'), date '2026-01-01' + i, date '2026-01-01' + i + 1);
                    END LOOP; END $$;
                    INSERT INTO rt_log.stats SELECT date '2026-01-01' + (g % 30), 'd' || g, g FROM generate_series(1, 3000) g;
                    CREATE INDEX stats_domain_idx ON rt_log.stats (domain);
                    COMMENT ON TABLE rt_log.stats IS 'daily stats';
                    CREATE SCHEMA webconsole;
                    CREATE TABLE webconsole.users (id serial PRIMARY KEY, login text NOT NULL UNIQUE, password text, pw_hash text, note text);
                    COMMENT ON COLUMN webconsole.users.login IS 'who';
                    INSERT INTO webconsole.users (login, password, pw_hash, note) VALUES ('admin', 'hunter2', 'abc', repeat('x', 25000));
                    INSERT INTO webconsole.users (login, password, pw_hash, note) VALUES ('bob', NULL, 'def', 'short, "quoted"');
                    CREATE VIEW webconsole.v_users AS SELECT id, login FROM webconsole.users;
                    CREATE MATERIALIZED VIEW webconsole.mv AS SELECT count(*) AS n FROM webconsole.users;
                    CREATE SEQUENCE webconsole.seq_a START 5;
                    CREATE FUNCTION webconsole.f(a int, b text) RETURNS int LANGUAGE sql AS 'SELECT a';
                    CREATE FUNCTION webconsole.f(a int) RETURNS int LANGUAGE sql AS 'SELECT a';
                    CREATE PROCEDURE webconsole.p() LANGUAGE plpgsql AS $$BEGIN END$$;
                    CREATE TYPE webconsole.mood AS ENUM ('sad', 'ok', 'happy');
                    CREATE DOMAIN webconsole.posint AS integer CHECK (VALUE > 0);
                    CREATE TYPE webconsole.pair AS (x int, y text);
                    CREATE TRIGGER users_noop BEFORE UPDATE ON webconsole.users FOR EACH ROW EXECUTE FUNCTION suppress_redundant_updates_trigger();
                    CREATE SCHEMA "Odd Schema";
                    CREATE TABLE "Odd Schema"."select" ("Order" int, "we""ird" text);
                    INSERT INTO "Odd Schema"."select" VALUES (1, 'a'), (2, 'b');
                    CREATE TABLE "Odd Schema"."Order Table" (id int PRIMARY KEY, "ünïcødé" text DEFAULT 'it''s', "select" int CHECK ("select" > 0));
                    CREATE TABLE "Odd Schema"."ünïcødé" (x int);
                    CREATE TABLE "Odd Schema"."a""quote" (x int);
                    CREATE TABLE "Odd Schema"."100%_done" (x int);
                    CREATE TABLE "Odd Schema"."100x_done" (x int);
                    CREATE TABLE "Odd Schema"."MixedCase" (x int);
                    """);
        }
    }
}
