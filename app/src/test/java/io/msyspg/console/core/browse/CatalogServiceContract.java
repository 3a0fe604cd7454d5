package io.msyspg.console.core.browse;

import io.msyspg.console.core.connect.DbSession;
import io.msyspg.console.core.task.JobContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The catalog queries against a real server; subclasses pick the major (12, 15, 17). */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class CatalogServiceContract {
    protected DbSession session;
    protected CatalogService catalog;
    private final JobContext ctx = JobContext.none();

    protected abstract DbSession openSession() throws Exception;

    @BeforeAll void setUp() throws Exception {
        session = openSession();
        try (Connection c = session.borrow()) {
            BrowseFixture.create(c);
        }
        catalog = new CatalogService(session);
    }

    @AfterAll void tearDown() {
        if (session != null) session.close();
    }

    @Test void schemasHideSystemOnesByDefault() throws Exception {
        List<String> names = catalog.schemas(false, ctx).stream().map(SchemaInfo::name).toList();
        assertThat(names).contains("rt_log", "webconsole", "Odd Schema", "public").doesNotContain("pg_catalog", "information_schema", "pg_toast");
        List<SchemaInfo> all = catalog.schemas(true, ctx);
        assertThat(all).anySatisfy(s -> {
            assertThat(s.name()).isEqualTo("pg_catalog");
            assertThat(s.system()).isTrue();
        });
    }

    @Test void partitionsAreCollapsedUnderTheirParentWithACount() throws Exception {
        Page p = catalog.folder("rt_log", Folder.TABLES, null, Page.PageKey.FIRST, 500, ctx);
        assertThat(p.items()).extracting(CatalogObject::name).containsExactly("stats");
        assertThat(p.items().get(0).kind()).isEqualTo(ObjectKind.PARTITIONED_TABLE);
        assertThat(p.items().get(0).partitionCount()).isEqualTo(BrowseFixture.PARTITIONS);
        assertThat(p.hasMore()).isFalse();
        assertThat(catalog.counts("rt_log", null, ctx).get(Folder.TABLES)).isEqualTo(1);
    }

    @Test void partitionsArePagedByKeysetWithoutGapsOrRepeats() throws Exception {
        long parent = catalog.folder("rt_log", Folder.TABLES, null, Page.PageKey.FIRST, 10, ctx).items().get(0).oid();
        List<String> seen = new ArrayList<>();
        Page.PageKey key = Page.PageKey.FIRST;
        int pages = 0;
        do {
            Page p = catalog.partitions(parent, null, key, 7, ctx);
            assertThat(p.items().size()).isLessThanOrEqualTo(7);
            p.items().forEach(o -> {
                assertThat(o.isPartition()).isTrue();
                assertThat(o.partitionBound()).startsWith("FOR VALUES FROM");
                seen.add(o.name());
            });
            key = p.next();
            pages++;
        } while (key != null);
        assertThat(pages).isEqualTo(5);
        assertThat(seen).hasSize(30).doesNotHaveDuplicates().isSorted();
        assertThat(seen.get(0)).isEqualTo("stats_2026_01_01");
        assertThat(catalog.partitionCount(parent, null, ctx)).isEqualTo(30);
        assertThat(catalog.partitionCount(parent, "01_1", ctx)).isEqualTo(10);
        assertThat(catalog.partitions(parent, "2026_01_3", Page.PageKey.FIRST, 100, ctx).items())
                .extracting(CatalogObject::name).containsExactly("stats_2026_01_30");
    }

    @Test void folderCountsCoverEveryKind() throws Exception {
        Map<Folder, Long> n = catalog.counts("webconsole", null, ctx);
        assertThat(n.get(Folder.TABLES)).isEqualTo(1);
        assertThat(n.get(Folder.VIEWS)).isEqualTo(1);
        assertThat(n.get(Folder.MATERIALIZED_VIEWS)).isEqualTo(1);
        assertThat(n.get(Folder.SEQUENCES)).isEqualTo(2);
        assertThat(n.get(Folder.FUNCTIONS)).isEqualTo(3);
        assertThat(n.get(Folder.TYPES)).isEqualTo(3);
        assertThat(n.get(Folder.EXTENSIONS)).isZero();
        assertThat(n.get(Folder.FOREIGN_TABLES)).isZero();
        assertThat(catalog.count("webconsole", Folder.FUNCTIONS, null, ctx)).isEqualTo(3);
        assertThat(catalog.counts("pg_catalog", null, ctx).get(Folder.EXTENSIONS)).isGreaterThanOrEqualTo(1); // plpgsql
    }

    @Test void overloadedFunctionsPageOneByOne() throws Exception {
        List<String> seen = new ArrayList<>();
        Page.PageKey key = Page.PageKey.FIRST;
        do {
            Page p = catalog.folder("webconsole", Folder.FUNCTIONS, null, key, 1, ctx);
            p.items().forEach(o -> seen.add(o.displayName() + ":" + o.kind()));
            key = p.next();
        } while (key != null);
        assertThat(seen).containsExactlyInAnyOrder("f(a integer):FUNCTION", "f(a integer, b text):FUNCTION", "p():PROCEDURE");
    }

    @Test void filterIsPushedIntoSqlWithWildcardsTakenLiterally() throws Exception {
        Page p = catalog.folder("Odd Schema", Folder.TABLES, "100%_", Page.PageKey.FIRST, 100, ctx);
        assertThat(p.items()).extracting(CatalogObject::name).containsExactly("100%_done");
        assertThat(catalog.folder("Odd Schema", Folder.TABLES, "order", Page.PageKey.FIRST, 100, ctx).items())
                .extracting(CatalogObject::name).containsExactly("Order Table");
        assertThat(catalog.count("Odd Schema", Folder.TABLES, "'; DROP TABLE x; --", ctx)).isZero();
        assertThat(catalog.counts("Odd Schema", "100%_", ctx).get(Folder.TABLES)).isEqualTo(1);
        assertThat(catalog.counts("webconsole", "F", ctx)).containsEntry(Folder.FUNCTIONS, 2L).containsEntry(Folder.TABLES, 0L);
    }

    @Test void oddIdentifiersAreListedAndDetailed() throws Exception {
        Page p = catalog.folder("Odd Schema", Folder.TABLES, null, Page.PageKey.FIRST, 100, ctx);
        assertThat(p.items()).extracting(CatalogObject::name).containsExactlyInAnyOrder(BrowseFixture.ODD_TABLES);
        for (CatalogObject o : p.items()) {
            ObjectDetails d = catalog.details(o, ctx);
            assertThat(d.ddl()).contains("\"Odd Schema\".").contains(io.msyspg.console.core.common.Sql.quoteIdent(o.name()));
            try (DataPreview prev = DataPreview.open(session, o, ctx)) {
                DataPreview.Batch b = prev.fetch(10, ctx);
                assertThat(b.exhausted()).isTrue();
                if (o.name().equals("select")) {
                    assertThat(prev.columns()).extracting(DataPreview.Column::name).containsExactly("Order", "we\"ird");
                    prev.sort("we\"ird", true, ctx);
                    assertThat(prev.fetch(10, ctx).rows()).extracting(r -> r.values().get(1)).containsExactly("b", "a");
                }
            }
        }
        assertThat(catalog.resolve("Odd Schema", "a\"quote", ctx)).hasSize(1);
    }

    @Test void tableDdlFromTheCatalogRecreatesTheTable() throws Exception {
        CatalogObject o = catalog.resolve("Odd Schema", "Order Table", ctx).get(0);
        ObjectDetails d = catalog.details(o, ctx);
        assertThat(d.columns()).extracting(ObjectDetails.Column::name).containsExactly("id", "ünïcødé", "select");
        assertThat(d.columns().get(1).defaultExpr()).isEqualTo("'it''s'::text");
        assertThat(d.constraints()).extracting(ObjectDetails.Constraint::type).contains("primary key", "check");
        String ddl = d.ddl();
        try (Connection c = session.borrow(); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            s.execute("DROP TABLE \"Odd Schema\".\"Order Table\"");
            s.execute(ddl);
            CatalogObject again = catalog.resolve("Odd Schema", "Order Table", ctx).isEmpty() ? null : null; // other connection: not visible yet
            assertThat(again).isNull();
            try (ResultSet rs = s.executeQuery("SELECT string_agg(attname || ' ' || format_type(atttypid, atttypmod), ',' ORDER BY attnum) "
                    + "FROM pg_attribute WHERE attrelid = '\"Odd Schema\".\"Order Table\"'::regclass AND attnum > 0")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("id integer,ünïcødé text,select integer");
            }
            c.rollback();
            c.setAutoCommit(true);
        }
    }

    @Test void partitionedParentAndPartitionDetails() throws Exception {
        CatalogObject parent = catalog.resolve("rt_log", "stats", ctx).get(0);
        ObjectDetails d = catalog.details(parent, ctx);
        assertThat(d.partitionKey()).isEqualTo("RANGE (day)");
        assertThat(d.ddl()).contains("CREATE TABLE \"rt_log\".\"stats\" (").contains("PARTITION BY RANGE (day)")
                .contains("CONSTRAINT \"stats_pk\" PRIMARY KEY (day, domain)").contains("stats_domain_idx")
                .contains("COMMENT ON TABLE \"rt_log\".\"stats\" IS 'daily stats'");
        assertThat(d.properties()).containsEntry("Partitions", "30").containsKey("Size");
        CatalogObject part = catalog.partitions(parent.oid(), null, Page.PageKey.FIRST, 1, ctx).items().get(0);
        ObjectDetails pd = catalog.details(part, ctx);
        assertThat(pd.parent()).isEqualTo("rt_log.stats");
        assertThat(pd.partitionBound()).isEqualTo("FOR VALUES FROM ('2026-01-01') TO ('2026-01-02')");
        assertThat(pd.ddl()).contains("PARTITION OF rt_log.stats").contains("FOR VALUES FROM ('2026-01-01') TO ('2026-01-02')");
        assertThat(pd.columns()).hasSize(3);
        assertThat(pd.sizes().table()).isPositive();
        assertThat(pd.privileges()).isNotEmpty();
    }

    @Test void rowEstimateIsUnknownUntilAnalyzed() throws Exception {
        try (Connection c = session.borrow(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE public.est (x int); INSERT INTO public.est SELECT generate_series(1, 500)");
        }
        CatalogObject o = catalog.resolve("public", "est", ctx).get(0);
        assertThat(catalog.details(o, ctx).rowEstimate()).isNull();
        assertThat(catalog.details(o, ctx).properties().get("Row estimate")).startsWith("unknown");
        try (Connection c = session.borrow(); Statement s = c.createStatement()) {
            s.execute("ANALYZE public.est");
        }
        assertThat(catalog.details(o, ctx).rowEstimate()).isEqualTo(500);
        // before 15 the statistics collector publishes with a delay of up to ~0.5 s
        long deadline = System.currentTimeMillis() + 10_000;
        while (catalog.details(o, ctx).properties().get("Last analyze").equals("never") && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
        }
        assertThat(catalog.details(o, ctx).properties().get("Last analyze")).isNotEqualTo("never");
    }

    @Test void otherKindsHaveServerDdl() throws Exception {
        ObjectDetails v = catalog.details(catalog.resolve("webconsole", "v_users", ctx).get(0), ctx);
        assertThat(v.ddl()).startsWith("CREATE OR REPLACE VIEW \"webconsole\".\"v_users\" AS").contains("FROM webconsole.users");
        try (Connection c = session.borrow(); Statement s = c.createStatement()) {
            s.execute(v.ddl()); // the server accepts its own definition back
        }
        List<CatalogObject> fs = catalog.resolve("webconsole", "f", ctx);
        assertThat(fs).hasSize(2);
        assertThat(catalog.details(fs.get(0), ctx).ddl()).startsWith("CREATE OR REPLACE FUNCTION webconsole.f(");
        assertThat(catalog.details(catalog.resolve("webconsole", "mood", ctx).get(0), ctx).ddl())
                .startsWith("CREATE TYPE \"webconsole\".\"mood\" AS ENUM ('sad', 'ok', 'happy');");
        assertThat(catalog.details(catalog.resolve("webconsole", "posint", ctx).get(0), ctx).ddl()).contains("CHECK (VALUE > 0)");
        assertThat(catalog.details(catalog.resolve("webconsole", "seq_a", ctx).get(0), ctx).ddl()).contains("START WITH 5");
        assertThat(catalog.details(catalog.resolve("webconsole", "mv", ctx).get(0), ctx).ddl()).contains("WITH DATA");
        ObjectDetails users = catalog.details(catalog.resolve("webconsole", "users", ctx).get(0), ctx);
        assertThat(users.triggers()).extracting(ObjectDetails.Trigger::name).containsExactly("users_noop");
        assertThat(users.ddl()).contains("CREATE TRIGGER users_noop").contains("COMMENT ON COLUMN \"webconsole\".\"users\".\"login\" IS 'who'");
    }

    @Test void searchFindsObjectsAcrossSchemas() throws Exception {
        assertThat(catalog.search("order", false, 50, ctx)).extracting(CatalogObject::name).contains("Order Table");
        List<CatalogObject> parts = catalog.search("stats_2026_01_0", false, 5, ctx);
        assertThat(parts).hasSize(5).allSatisfy(o -> assertThat(o.isPartition()).isTrue());
        assertThat(catalog.search("pg_class", false, 5, ctx)).isEmpty();
        assertThat(catalog.search("pg_class", true, 5, ctx)).extracting(CatalogObject::name).startsWith("pg_class");
    }

    @Test void previewPagesThroughACursorWithoutRepeats() throws Exception {
        CatalogObject parent = catalog.resolve("rt_log", "stats", ctx).get(0);
        CatalogObject part = catalog.partitions(parent.oid(), null, Page.PageKey.FIRST, 1, ctx).items().get(0);
        try (DataPreview p = DataPreview.open(session, part, ctx)) {
            Set<String> keys = new HashSet<>();
            int batches = 0;
            DataPreview.Batch b;
            do {
                b = p.fetch(30, ctx);
                b.rows().forEach(r -> assertThat(keys.add(r.values().get(1))).isTrue());
                batches++;
            } while (!b.exhausted());
            assertThat(keys).hasSize(100);
            assertThat(batches).isEqualTo(4);
            p.sort("delivered", true, ctx);
            List<DataPreview.Row> top = p.fetch(3, ctx).rows();
            assertThat(top.get(0).values().get(2)).isEqualTo("3000");
        }
    }

    @Test void previewMasksSecretsTruncatesLargeValuesAndIsReadOnly() throws Exception {
        CatalogObject users = catalog.resolve("webconsole", "users", ctx).get(0);
        try (DataPreview p = DataPreview.open(session, users, ctx)) {
            assertThat(p.columns()).extracting(DataPreview.Column::masked).containsExactly(false, false, true, true, false);
            p.sort("login", false, ctx);
            List<DataPreview.Row> rows = p.fetch(10, ctx).rows();
            assertThat(rows.get(0).values().get(2)).isEqualTo(SecretColumns.MASK);
            assertThat(rows.get(1).values().get(2)).isNull();
            assertThat(rows.get(0).values().get(4)).hasSize(DataPreview.CELL_CHARS);
            assertThat(rows.get(0).truncated()[4]).isTrue();
            assertThat(p.fullValue(rows.get(0), 4, ctx)).hasSize(25000);
            assertThatThrownBy(() -> p.fullValue(rows.get(0), 2, ctx)).hasMessageContaining("secrets");
        }
        try (Connection c = session.borrow(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM webconsole.users")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(2);
        }
    }

    @Test void cancelStopsASlowCatalogQuery() throws Exception {
        io.msyspg.console.core.task.JobControl control = new io.msyspg.console.core.task.JobControl(io.msyspg.console.core.task.JobControl.ProgressListener.NONE);
        control.cancel();
        assertThatThrownBy(() -> catalog.folder("rt_log", Folder.TABLES, null, Page.PageKey.FIRST, 10, control))
                .isInstanceOf(io.msyspg.console.core.task.JobCancelledException.class);
    }
}
