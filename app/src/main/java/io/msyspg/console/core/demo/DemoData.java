package io.msyspg.console.core.demo;

import io.msyspg.console.core.task.JobContext;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Creates and fills the Momentum-like {@code ecelerity} schema of the demo sandbox on any connection (the
 * sandbox's own server, or a test database). Everything is generated on the server ({@code generate_series},
 * one {@code DO} block per partitioned table), so a load is a few dozen round trips whatever its size.
 *
 * <p>Values are a pure function of (seed, timestamp, domain, binding): a given hour has the same counters in
 * every sandbox built with the same seed, whatever day it was built on ({@code hashtextextended} with the seed).
 * History ends at the {@code anchor} day (the build day) and starts two years before it.
 *
 * <p>Column contract of every statistics table (other features rely on it): {@code ts timestamptz, domain text,
 * binding text, received, delivered, transient_failures, permanent_failures, inband_bounces, outofband_bounces,
 * rejections, delivery_time_ms_sum bigint} (average delivery time = delivery_time_ms_sum / delivered).
 */
public final class DemoData {
    public static final String DATABASE = "ecelerity";
    public static final String APP_USER = "ecuser";

    /** The statistics columns, in table order. */
    public static final List<String> STAT_COLUMNS = List.of("ts", "domain", "binding", "received", "delivered",
            "transient_failures", "permanent_failures", "inband_bounces", "outofband_bounces", "rejections",
            "delivery_time_ms_sum");

    /** What a size builds. Days count back from the anchor day; partitions also cover {@code futureDays} ahead. */
    record Spec(int historyDays, int futureDays, int minutePartitionDays, int minuteDataDays, int bouncePartitionDays,
                int bounceDataDays, int domains, int bindings, int archiveBindings, int archiveDays) {
        static Spec of(DemoSandbox.Size size) {
            return switch (size) {
                case SMALL -> new Spec(730, 7, 14, 2, 60, 60, 5, 2, 0, 0);
                case LARGE -> new Spec(730, 7, 730, 7, 730, 90, 12, 4, 26, 730);
            };
        }

        int partitionCount() {
            return (historyDays + 1 + futureDays) + (minutePartitionDays + 1 + futureDays)
                    + (bouncePartitionDays + 1 + futureDays) + archiveBindings * (archiveDays + 1 + futureDays);
        }
    }

    static final String[][] DOMAINS = {
            {"gmail.com", "900"}, {"yahoo.com", "520"}, {"hotmail.com", "410"}, {"aol.com", "130"}, {"comcast.net", "95"},
            {"outlook.com", "300"}, {"icloud.com", "160"}, {"att.net", "60"}, {"verizon.net", "45"}, {"gmx.de", "70"},
            {"web.de", "55"}, {"orange.fr", "50"}};
    static final String[] BINDINGS = {"default", "transactional", "marketing", "bulk"};

    private final Spec spec;
    private final long seed;
    private final Instant until;
    private final LocalDate anchor;

    /** {@code until}: where history ends (truncated to the hour); live traffic takes over from there. */
    public DemoData(DemoSandbox.Size size, long seed, Instant until) {
        this(Spec.of(size), seed, until);
    }

    DemoData(Spec spec, long seed, Instant until) {
        this.spec = spec;
        this.seed = seed;
        this.until = until.truncatedTo(ChronoUnit.HOURS);
        this.anchor = LocalDate.ofInstant(this.until, ZoneOffset.UTC);
    }

    /** Where the generated history ends (exclusive, a full hour). */
    public Instant until() { return until; }

    private String untilLit() { return "'" + until + "'::timestamptz"; }

    /** Partitions this load creates (all partitioned tables together). */
    public int partitionCount() { return spec.partitionCount(); }

    LocalDate firstDay() { return anchor.minusDays(spec.historyDays()); }

    /** One named step of the load: its SQL runs in one round trip. */
    record Step(String label, String sql) {}

    /** Runs every step on {@code c} (a connection to the target database, as a superuser). */
    public void load(Connection c, JobContext ctx) throws SQLException {
        List<Step> steps = steps();
        int i = 0;
        try (Statement s = c.createStatement()) {
            ctx.onCancel(() -> {
                try { s.cancel(); } catch (SQLException ignored) { /* statement already done */ }
            });
            s.execute("SET TimeZone = 'UTC'");
            s.execute("SET client_min_messages = warning");
            for (Step step : steps) {
                ctx.message(step.label());
                ctx.progress(i++, steps.size());
                // checked last: a statement cancel that comes between two steps finds nothing to cancel
                ctx.checkCancelled();
                s.execute(step.sql());
            }
            ctx.progress(steps.size(), steps.size());
        }
    }

    List<Step> steps() {
        List<Step> st = new ArrayList<>();
        st.add(new Step("creating roles and schemas", rolesAndSchemas()));
        st.add(new Step("creating webconsole tables", webconsole()));
        st.add(new Step("creating statistics tables", statTables()));
        st.add(new Step("creating daily partitions of rt_log.delivery_stats_hour",
                partitions("rt_log", "delivery_stats_hour", firstDay(), anchor.plusDays(spec.futureDays()))));
        st.add(new Step("creating daily partitions of rt_log.delivery_stats_minute",
                partitions("rt_log", "delivery_stats_minute", partitionStart(spec.minutePartitionDays()), anchor.plusDays(spec.futureDays()))));
        st.add(new Step("creating daily partitions of rt_log_bounce.bounce_stats_hour",
                partitions("rt_log_bounce", "bounce_stats_hour", partitionStart(spec.bouncePartitionDays()), anchor.plusDays(spec.futureDays()))));
        for (int b = 0; b < spec.archiveBindings(); b++) {
            String t = archiveTable(b);
            st.add(new Step("creating archive table rt_log_archive." + t,
                    "CREATE TABLE rt_log_archive." + t + " (LIKE rt_log.delivery_stats_hour INCLUDING DEFAULTS INCLUDING COMMENTS)"
                            + " PARTITION BY RANGE (ts);\n"
                            + "COMMENT ON TABLE rt_log_archive." + t + " IS 'Archived hourly statistics of binding mta" + (b + 1) + " (read-only)';\n"
                            + partitions("rt_log_archive", t, anchor.minusDays(spec.archiveDays()), anchor.plusDays(spec.futureDays()))));
        }
        st.add(new Step("loading hourly statistics", loadHour()));
        st.add(new Step("loading per-minute statistics", loadMinute()));
        st.add(new Step("loading bounce statistics", loadBounces()));
        if (spec.archiveBindings() > 0) st.add(new Step("loading archive statistics", loadArchive()));
        st.add(new Step("loading webconsole users and sessions", loadWebconsole()));
        st.add(new Step("creating views and functions", viewsAndFunctions()));
        st.add(new Step("granting privileges to ecuser", grants()));
        st.add(new Step("analyzing", "ANALYZE"));
        return st;
    }

    private LocalDate partitionStart(int days) {
        return anchor.minusDays(days);
    }

    static String archiveTable(int b) {
        return String.format(Locale.ROOT, "binding_mta%02d_hour", b + 1);
    }

    private static String lit(LocalDate d) { return "'" + d + "'"; }

    private String rolesAndSchemas() {
        return """
                DO $$ BEGIN
                  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'ecuser') THEN
                    CREATE ROLE ecuser LOGIN;
                  END IF;
                END $$;
                COMMENT ON ROLE ecuser IS 'Momentum application user (demo sandbox)';
                CREATE SCHEMA webconsole;
                COMMENT ON SCHEMA webconsole IS 'Momentum web console: users, roles and sessions';
                CREATE SCHEMA rt_log;
                COMMENT ON SCHEMA rt_log IS 'Real-time delivery statistics by domain and binding';
                CREATE SCHEMA rt_log_bounce;
                COMMENT ON SCHEMA rt_log_bounce IS 'Real-time bounce statistics by bounce class';
                CREATE SCHEMA rt_log_archive;
                COMMENT ON SCHEMA rt_log_archive IS 'Archived statistics (daily roll-ups, retired bindings)';
                CREATE TABLE public.demo_sandbox_info (key text PRIMARY KEY, value text NOT NULL);
                COMMENT ON TABLE public.demo_sandbox_info IS 'How this demo database was built (msyspg-console demo sandbox)';
                """ + "INSERT INTO public.demo_sandbox_info VALUES ('seed', '" + seed + "'), ('until', '" + until
                + "'), ('partitions', '" + spec.partitionCount() + "');\n";
    }

    private String webconsole() {
        return """
                CREATE TYPE webconsole.user_status AS ENUM ('active', 'locked', 'disabled');
                COMMENT ON TYPE webconsole.user_status IS 'State of a web console account';
                CREATE TABLE webconsole.roles (
                  role_id integer GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
                  name text NOT NULL UNIQUE,
                  description text,
                  can_admin boolean NOT NULL DEFAULT false);
                COMMENT ON TABLE webconsole.roles IS 'Web console roles';
                CREATE TABLE webconsole.users (
                  user_id integer GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
                  login text NOT NULL UNIQUE,
                  full_name text,
                  email text,
                  password_hash text NOT NULL,
                  status webconsole.user_status NOT NULL DEFAULT 'active',
                  created timestamptz NOT NULL DEFAULT now(),
                  last_login timestamptz);
                COMMENT ON TABLE webconsole.users IS 'Web console accounts (password_hash: bcrypt or sha256-crypt)';
                COMMENT ON COLUMN webconsole.users.password_hash IS 'crypt(3)-style hash; never the password';
                CREATE TABLE webconsole.user_roles (
                  user_id integer NOT NULL REFERENCES webconsole.users ON DELETE CASCADE,
                  role_id integer NOT NULL REFERENCES webconsole.roles,
                  PRIMARY KEY (user_id, role_id));
                CREATE SEQUENCE webconsole.session_seq START 1000 CACHE 1;
                COMMENT ON SEQUENCE webconsole.session_seq IS 'Numbers web console sessions';
                CREATE TABLE webconsole.sessions (
                  session_id bigint PRIMARY KEY DEFAULT nextval('webconsole.session_seq'),
                  token text NOT NULL UNIQUE,
                  user_id integer NOT NULL REFERENCES webconsole.users ON DELETE CASCADE,
                  remote_addr inet,
                  user_agent text,
                  created timestamptz NOT NULL DEFAULT now(),
                  expires timestamptz NOT NULL);
                ALTER SEQUENCE webconsole.session_seq OWNED BY webconsole.sessions.session_id;
                CREATE INDEX sessions_expires_idx ON webconsole.sessions (expires);
                CREATE TABLE webconsole.audit_log (
                  id bigserial PRIMARY KEY,
                  at timestamptz NOT NULL DEFAULT now(),
                  login text,
                  action text NOT NULL,
                  detail jsonb);
                """;
    }

    private String statTables() {
        String cols = """
                  ts timestamptz NOT NULL,
                  domain text NOT NULL,
                  binding text NOT NULL,
                  received bigint NOT NULL DEFAULT 0,
                  delivered bigint NOT NULL DEFAULT 0,
                  transient_failures bigint NOT NULL DEFAULT 0,
                  permanent_failures bigint NOT NULL DEFAULT 0,
                  inband_bounces bigint NOT NULL DEFAULT 0,
                  outofband_bounces bigint NOT NULL DEFAULT 0,
                  rejections bigint NOT NULL DEFAULT 0,
                  delivery_time_ms_sum bigint NOT NULL DEFAULT 0""";
        return "CREATE TABLE rt_log.delivery_stats_hour (\n" + cols + ",\n  PRIMARY KEY (ts, domain, binding)) PARTITION BY RANGE (ts);\n"
                + "COMMENT ON TABLE rt_log.delivery_stats_hour IS 'Delivery statistics per hour, domain and binding; one partition per day';\n"
                + "COMMENT ON COLUMN rt_log.delivery_stats_hour.delivery_time_ms_sum IS 'Sum of delivery times in ms; average = delivery_time_ms_sum / delivered';\n"
                + "CREATE TABLE rt_log.delivery_stats_minute (\n" + cols + ",\n  PRIMARY KEY (ts, domain, binding)) PARTITION BY RANGE (ts);\n"
                + "COMMENT ON TABLE rt_log.delivery_stats_minute IS 'Delivery statistics per minute, domain and binding; one partition per day';\n"
                + """
                CREATE TABLE rt_log_bounce.bounce_classes (
                  bounce_class smallint PRIMARY KEY,
                  name text NOT NULL,
                  description text);
                COMMENT ON TABLE rt_log_bounce.bounce_classes IS 'Momentum bounce classification codes';
                INSERT INTO rt_log_bounce.bounce_classes VALUES
                  (1, 'Undetermined', 'The response text could not be identified'),
                  (10, 'Invalid Recipient', 'The recipient is invalid'),
                  (20, 'Soft Bounce', 'The message soft bounced'),
                  (21, 'DNS Failure', 'The message bounced due to a DNS failure'),
                  (22, 'Mailbox Full', 'The recipient mailbox is full'),
                  (23, 'Too Large', 'The message was too large'),
                  (24, 'Timeout', 'The message timed out'),
                  (30, 'Generic Bounce: No RCPT', 'No recipient could be determined'),
                  (50, 'Mail Block', 'The message was blocked by the receiver'),
                  (51, 'Spam Block', 'The message was blocked as spam'),
                  (52, 'Spam Content', 'The message content was identified as spam'),
                  (53, 'Prohibited Attachment', 'The message had a prohibited attachment'),
                  (54, 'Relay Denied', 'The receiver denied relaying'),
                  (60, 'Auto-Reply', 'An automatic reply'),
                  (70, 'Transient Failure', 'A transient failure');
                CREATE TABLE rt_log_bounce.bounce_stats_hour (
                  ts timestamptz NOT NULL,
                  domain text NOT NULL,
                  binding text NOT NULL,
                  bounce_class smallint NOT NULL REFERENCES rt_log_bounce.bounce_classes,
                  inband_bounces bigint NOT NULL DEFAULT 0,
                  outofband_bounces bigint NOT NULL DEFAULT 0,
                  PRIMARY KEY (ts, domain, binding, bounce_class)) PARTITION BY RANGE (ts);
                COMMENT ON TABLE rt_log_bounce.bounce_stats_hour IS 'Bounces per hour, domain, binding and bounce class; one partition per day';
                CREATE TABLE rt_log_archive.delivery_stats_day (
                  day date NOT NULL,
                  domain text NOT NULL,
                  binding text NOT NULL,
                  received bigint NOT NULL,
                  delivered bigint NOT NULL,
                  transient_failures bigint NOT NULL,
                  permanent_failures bigint NOT NULL,
                  inband_bounces bigint NOT NULL,
                  outofband_bounces bigint NOT NULL,
                  rejections bigint NOT NULL,
                  delivery_time_ms_sum bigint NOT NULL,
                  PRIMARY KEY (day, domain, binding));
                COMMENT ON TABLE rt_log_archive.delivery_stats_day IS 'Daily roll-up of rt_log.delivery_stats_hour (not partitioned)';
                """;
    }

    /** One DO block: a daily partition {@code <table>_pYYYYMMDD} for every day in [from, to]. */
    static String partitions(String schema, String table, LocalDate from, LocalDate to) {
        return "DO $$ DECLARE d date; BEGIN\n"
                + "  FOR d IN SELECT generate_series(" + lit(from) + "::date, " + lit(to) + "::date, interval '1 day')::date LOOP\n"
                + "    EXECUTE format('CREATE TABLE IF NOT EXISTS %I.%I PARTITION OF %I.%I FOR VALUES FROM (%L) TO (%L)',\n"
                + "      '" + schema + "', '" + table + "_p' || to_char(d, 'YYYYMMDD'), '" + schema + "', '" + table + "',\n"
                + "      d::timestamp AT TIME ZONE 'UTC', (d + 1)::timestamp AT TIME ZONE 'UTC');\n"
                + "  END LOOP;\nEND $$;\n";
    }

    private String domainsValues(int n) {
        StringBuilder sb = new StringBuilder("(VALUES ");
        for (int i = 0; i < n; i++) {
            if (i > 0) sb.append(", ");
            sb.append("('").append(DOMAINS[i][0]).append("', ").append(DOMAINS[i][1]).append(")");
        }
        return sb.append(") AS d(domain, weight)").toString();
    }

    private String bindingsValues(int n) {
        StringBuilder sb = new StringBuilder("(VALUES ");
        double[] shares = {0.55, 0.30, 0.10, 0.05};
        for (int i = 0; i < n; i++) {
            if (i > 0) sb.append(", ");
            sb.append("('").append(BINDINGS[i]).append("', ").append(shares[i]).append(")");
        }
        return sb.append(") AS b(binding, share)").toString();
    }

    /**
     * The counters as a function of (seed, ts, domain, binding): a daily curve, quieter weekends, slow growth over
     * the years, and noise from {@code hashtextextended}. {@code scale} turns hourly volumes into minute volumes.
     */
    private String counters(String scale) {
        return "CROSS JOIN LATERAL (SELECT hashtextextended(d.domain || '|' || b.binding || '|' || extract(epoch FROM g.ts)::bigint, " + seed + ") AS h) hh\n"
                + "CROSS JOIN LATERAL (SELECT (hh.h & 65535) / 65535.0 AS u1, ((hh.h >> 16) & 65535) / 65535.0 AS u2,\n"
                + "    ((hh.h >> 32) & 65535) / 65535.0 AS u3) u\n"
                + "CROSS JOIN LATERAL (SELECT round(d.weight * b.share * " + scale + "\n"
                + "    * (0.3 + 0.7 * (0.5 - 0.5 * cos(2 * pi() * (extract(hour FROM g.ts AT TIME ZONE 'UTC') - 3) / 24)))\n"
                + "    * CASE WHEN extract(isodow FROM g.ts AT TIME ZONE 'UTC') >= 6 THEN 0.6 ELSE 1.0 END\n"
                + "    * (0.7 + 0.3 * (extract(epoch FROM g.ts) - extract(epoch FROM timestamp '2020-01-01')) / (86400.0 * 365 * 8))\n"
                + "    * (0.75 + 0.5 * u.u1))::bigint AS received) r\n"
                + "CROSS JOIN LATERAL (SELECT round(r.received * 0.02 * u.u2)::bigint AS rejections,\n"
                + "    round(r.received * 0.04 * u.u3)::bigint AS transient_failures,\n"
                + "    round(r.received * 0.012 * u.u2)::bigint AS permanent_failures,\n"
                + "    round(r.received * 0.004 * u.u1)::bigint AS outofband_bounces) f\n"
                + "CROSS JOIN LATERAL (SELECT greatest(r.received - f.rejections - f.permanent_failures, 0) AS delivered) dd\n";
    }

    private static final String INSERT_COLS = "(ts, domain, binding, received, delivered, transient_failures, permanent_failures,"
            + " inband_bounces, outofband_bounces, rejections, delivery_time_ms_sum)";

    private static final String SELECT_COUNTERS = "SELECT g.ts, d.domain, b.binding, r.received, dd.delivered, f.transient_failures,"
            + " f.permanent_failures, round(f.permanent_failures * 0.8)::bigint, f.outofband_bounces, f.rejections,"
            + " (dd.delivered * (150 + 1850 * u.u2 * u.u3))::bigint\n";

    private String loadHour() {
        return "INSERT INTO rt_log.delivery_stats_hour " + INSERT_COLS + "\n" + SELECT_COUNTERS
                + "FROM generate_series(" + lit(firstDay()) + "::timestamp AT TIME ZONE 'UTC', " + untilLit()
                + " - interval '1 hour', interval '1 hour') AS g(ts)\n"
                + "CROSS JOIN " + domainsValues(spec.domains()) + "\nCROSS JOIN " + bindingsValues(spec.bindings()) + "\n"
                + counters("1.0") + ";\n"
                + "INSERT INTO rt_log_archive.delivery_stats_day SELECT (ts AT TIME ZONE 'UTC')::date, domain, binding,"
                + " sum(received), sum(delivered), sum(transient_failures), sum(permanent_failures), sum(inband_bounces),"
                + " sum(outofband_bounces), sum(rejections), sum(delivery_time_ms_sum) FROM rt_log.delivery_stats_hour"
                + " WHERE ts < " + lit(anchor.minusDays(spec.historyDays() / 2)) + "::timestamp AT TIME ZONE 'UTC' GROUP BY 1, 2, 3;\n";
    }

    private String loadMinute() {
        LocalDate from = anchor.minusDays(spec.minuteDataDays() - 1);
        return "INSERT INTO rt_log.delivery_stats_minute " + INSERT_COLS + "\n" + SELECT_COUNTERS
                + "FROM generate_series(" + lit(from) + "::timestamp AT TIME ZONE 'UTC', " + untilLit()
                + " - interval '1 minute', interval '1 minute') AS g(ts)\n"
                + "CROSS JOIN " + domainsValues(spec.domains()) + "\nCROSS JOIN " + bindingsValues(1) + "\n"
                + counters("(1 / 60.0)") + ";\n";
    }

    private String loadBounces() {
        LocalDate from = anchor.minusDays(spec.bounceDataDays());
        return "INSERT INTO rt_log_bounce.bounce_stats_hour (ts, domain, binding, bounce_class, inband_bounces, outofband_bounces)\n"
                + "SELECT g.ts, d.domain, b.binding, c.bounce_class,\n"
                + "  (abs(hashtextextended(d.domain || b.binding || c.bounce_class || extract(epoch FROM g.ts)::bigint, " + seed + ")) % (1 + d.weight / 60))::bigint,\n"
                + "  (abs(hashtextextended(c.bounce_class || d.domain || b.binding || extract(epoch FROM g.ts)::bigint, " + seed + ")) % (1 + d.weight / 300))::bigint\n"
                + "FROM generate_series(" + lit(from) + "::timestamp AT TIME ZONE 'UTC', " + untilLit()
                + " - interval '1 hour', interval '1 hour') AS g(ts)\n"
                + "CROSS JOIN " + domainsValues(spec.domains()) + "\nCROSS JOIN " + bindingsValues(spec.bindings()) + "\n"
                + "CROSS JOIN (VALUES (10::smallint), (21::smallint), (22::smallint), (51::smallint)) AS c(bounce_class);\n";
    }

    /** Sparse: one row per archive table and day (noon). */
    private String loadArchive() {
        StringBuilder sb = new StringBuilder();
        for (int b = 0; b < spec.archiveBindings(); b++) {
            sb.append("INSERT INTO rt_log_archive.").append(archiveTable(b)).append(' ').append(INSERT_COLS).append('\n')
                    .append("SELECT g.ts, d.domain, b.binding, r.received, dd.delivered, f.transient_failures, f.permanent_failures,"
                            + " round(f.permanent_failures * 0.8)::bigint, f.outofband_bounces, f.rejections,"
                            + " (dd.delivered * (150 + 1850 * u.u2 * u.u3))::bigint\n")
                    .append("FROM generate_series(").append(lit(anchor.minusDays(spec.archiveDays())))
                    .append("::timestamp AT TIME ZONE 'UTC' + interval '12 hours', ").append(untilLit())
                    .append(" - interval '1 hour', interval '1 day') AS g(ts)\n")
                    .append("CROSS JOIN (VALUES ('gmail.com', 900)) AS d(domain, weight)\n")
                    .append("CROSS JOIN (VALUES ('mta").append(b + 1).append("', 0.2)) AS b(binding, share)\n")
                    .append(counters("1.0")).append(";\n");
        }
        return sb.toString();
    }

    private String loadWebconsole() {
        return """
                INSERT INTO webconsole.roles (name, description, can_admin) VALUES
                  ('admin', 'Full access, user management', true),
                  ('operator', 'Reports and queue management', false),
                  ('viewer', 'Read-only reports', false);
                INSERT INTO webconsole.users (login, full_name, email, password_hash, status, created, last_login)
                SELECT CASE WHEN i = 1 THEN 'admin' ELSE 'user' || lpad(i::text, 3, '0') END,
                       'Demo User ' || i, 'user' || i || '@example.com',
                       CASE WHEN i % 3 = 0
                         THEN '$5$rounds=5000$' || substr(translate(encode(sha256(('salt' || i || '|' || SEED)::bytea), 'base64'), '+/=', './'), 1, 16)
                              || '$' || substr(translate(encode(sha256(('pw' || i || '|' || SEED)::bytea), 'base64'), '+/=', './'), 1, 43)
                         ELSE '$2b$10$' || substr(translate(encode(sha256(('bcrypt' || i || '|' || SEED)::bytea)
                              || sha256(('x' || i)::bytea), 'base64'), '+/=', './'), 1, 53)
                       END,
                       CASE WHEN i % 17 = 0 THEN 'locked' WHEN i % 23 = 0 THEN 'disabled' ELSE 'active' END::webconsole.user_status,
                       ANCHOR::timestamp AT TIME ZONE 'UTC' - (i * interval '7 days'),
                       CASE WHEN i % 5 = 0 THEN NULL ELSE ANCHOR::timestamp AT TIME ZONE 'UTC' - (i * interval '37 minutes') END
                FROM generate_series(1, 40) AS i;
                INSERT INTO webconsole.user_roles
                SELECT user_id, CASE WHEN user_id = 1 THEN 1 WHEN user_id % 4 = 0 THEN 2 ELSE 3 END FROM webconsole.users;
                INSERT INTO webconsole.sessions (token, user_id, remote_addr, user_agent, created, expires)
                SELECT encode(sha256(('session' || i || '|' || SEED)::bytea), 'hex'), 1 + i % 40,
                       ('10.0.' || (i % 7) || '.' || (10 + i % 200))::inet, 'Mozilla/5.0 (demo)',
                       ANCHOR::timestamp AT TIME ZONE 'UTC' - (i * interval '11 minutes'),
                       ANCHOR::timestamp AT TIME ZONE 'UTC' - (i * interval '11 minutes') + interval '8 hours'
                FROM generate_series(1, 25) AS i;
                """.replace("SEED", Long.toString(seed)).replace("ANCHOR::timestamp AT TIME ZONE 'UTC'", untilLit());
    }

    private String viewsAndFunctions() {
        return """
                CREATE TYPE rt_log.counter_set AS (received bigint, delivered bigint, failures bigint, bounces bigint);
                COMMENT ON TYPE rt_log.counter_set IS 'Composite returned by rt_log.totals()';
                CREATE DOMAIN rt_log.domain_name AS text CHECK (VALUE ~ '^[a-z0-9.-]+$');
                CREATE FUNCTION rt_log.avg_delivery_ms(sum_ms bigint, delivered bigint) RETURNS numeric
                  LANGUAGE sql IMMUTABLE AS $f$ SELECT CASE WHEN delivered > 0 THEN round(sum_ms::numeric / delivered, 1) END $f$;
                COMMENT ON FUNCTION rt_log.avg_delivery_ms(bigint, bigint) IS 'Average delivery time in ms (NULL when nothing was delivered)';
                CREATE FUNCTION rt_log.totals(p_domain text, p_from timestamptz, p_to timestamptz) RETURNS rt_log.counter_set
                  LANGUAGE sql STABLE AS $f$
                    SELECT sum(received)::bigint, sum(delivered)::bigint, sum(transient_failures + permanent_failures)::bigint,
                           sum(inband_bounces + outofband_bounces)::bigint
                    FROM rt_log.delivery_stats_hour WHERE domain = p_domain AND ts >= p_from AND ts < p_to $f$;
                CREATE FUNCTION rt_log.ensure_partitions(p_day date) RETURNS integer
                  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $f$
                  DECLARE t record; n integer := 0; name text;
                  BEGIN
                    FOR t IN SELECT * FROM (VALUES ('rt_log', 'delivery_stats_hour'), ('rt_log', 'delivery_stats_minute'),
                                                   ('rt_log_bounce', 'bounce_stats_hour')) AS x(s, tbl) LOOP
                      name := t.tbl || '_p' || to_char(p_day, 'YYYYMMDD');
                      IF to_regclass(format('%I.%I', t.s, name)) IS NULL THEN
                        EXECUTE format('CREATE TABLE %I.%I PARTITION OF %I.%I FOR VALUES FROM (%L) TO (%L)', t.s, name, t.s, t.tbl,
                                       p_day::timestamp AT TIME ZONE 'UTC', (p_day + 1)::timestamp AT TIME ZONE 'UTC');
                        RAISE LOG 'rt_log: created partition %.%', t.s, name;
                        n := n + 1;
                      END IF;
                    END LOOP;
                    RETURN n;
                  END $f$;
                COMMENT ON FUNCTION rt_log.ensure_partitions(date) IS 'Creates the daily partitions of one day (called by the statistics writer)';
                CREATE FUNCTION webconsole.expire_sessions() RETURNS integer LANGUAGE plpgsql AS $f$
                  DECLARE n integer;
                  BEGIN
                    DELETE FROM webconsole.sessions WHERE expires < now();
                    GET DIAGNOSTICS n = ROW_COUNT;
                    IF n > 0 THEN RAISE LOG 'webconsole: expired % session(s)', n; END IF;
                    RETURN n;
                  END $f$;
                CREATE FUNCTION webconsole.audit_trigger() RETURNS trigger LANGUAGE plpgsql AS $f$
                  BEGIN
                    INSERT INTO webconsole.audit_log (login, action, detail)
                    VALUES ((SELECT login FROM webconsole.users WHERE user_id = NEW.user_id), 'login', jsonb_build_object('session', NEW.session_id));
                    RETURN NEW;
                  END $f$;
                CREATE TRIGGER sessions_audit AFTER INSERT ON webconsole.sessions FOR EACH ROW EXECUTE FUNCTION webconsole.audit_trigger();
                CREATE VIEW rt_log.delivery_summary_daily AS
                  SELECT date_trunc('day', ts) AS day, domain, sum(received) AS received, sum(delivered) AS delivered,
                         sum(transient_failures) AS transient_failures, sum(permanent_failures) AS permanent_failures,
                         sum(inband_bounces) AS inband_bounces, sum(outofband_bounces) AS outofband_bounces,
                         sum(rejections) AS rejections, rt_log.avg_delivery_ms(sum(delivery_time_ms_sum)::bigint, sum(delivered)::bigint) AS avg_delivery_ms
                  FROM rt_log.delivery_stats_hour GROUP BY 1, 2;
                COMMENT ON VIEW rt_log.delivery_summary_daily IS 'Daily totals per domain';
                CREATE VIEW webconsole.active_sessions AS
                  SELECT s.session_id, u.login, s.remote_addr, s.created, s.expires FROM webconsole.sessions s
                  JOIN webconsole.users u USING (user_id) WHERE s.expires > now();
                CREATE MATERIALIZED VIEW rt_log.top_domains_30d AS
                  SELECT domain, sum(received) AS received, sum(delivered) AS delivered,
                         rt_log.avg_delivery_ms(sum(delivery_time_ms_sum)::bigint, sum(delivered)::bigint) AS avg_delivery_ms
                  FROM rt_log.delivery_stats_hour
                  WHERE ts >= (SELECT max(ts) FROM rt_log.delivery_stats_hour) - interval '30 days'
                  GROUP BY domain ORDER BY received DESC;
                COMMENT ON MATERIALIZED VIEW rt_log.top_domains_30d IS 'Busiest domains of the last 30 days (refreshed by hand)';
                """;
    }

    private String grants() {
        return """
                DO $$ BEGIN EXECUTE format('GRANT CONNECT ON DATABASE %I TO ecuser', current_database()); END $$;
                GRANT USAGE ON SCHEMA webconsole, rt_log, rt_log_bounce, rt_log_archive TO ecuser;
                GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA webconsole, rt_log, rt_log_bounce TO ecuser;
                GRANT SELECT ON ALL TABLES IN SCHEMA rt_log_archive TO ecuser;
                GRANT USAGE ON ALL SEQUENCES IN SCHEMA webconsole TO ecuser;
                GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA rt_log, webconsole TO ecuser;
                ALTER DEFAULT PRIVILEGES IN SCHEMA rt_log, rt_log_bounce GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ecuser;
                """;
    }
}
