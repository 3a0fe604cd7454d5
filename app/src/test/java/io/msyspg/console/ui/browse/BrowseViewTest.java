package io.msyspg.console.ui.browse;

import io.msyspg.console.testsupport.RecordingDialogService;
import io.msyspg.console.core.browse.BrowseFixture;
import io.msyspg.console.core.browse.CatalogObject;
import io.msyspg.console.core.browse.DataPreview;
import io.msyspg.console.core.common.AppDirs;
import io.msyspg.console.core.connect.PooledDbSession;
import io.msyspg.console.core.settings.SettingsStore;
import io.msyspg.console.testsupport.TestPg;
import io.msyspg.console.ui.AppContext;
import io.msyspg.console.ui.common.DialogService;
import io.msyspg.console.ui.common.FxWatchdog;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.scene.control.TreeCell;
import javafx.scene.control.TreeItem;
import javafx.scene.control.TreeView;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.matcher.control.LabeledMatchers;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * End to end on a real server: expand to a partitioned table, see its partitions, select one, see its columns
 * and DDL, page through the data preview; odd identifiers; filter and search; and the JavaFX thread stays
 * responsive while a 20,000-table folder loads.
 */
@ExtendWith(ApplicationExtension.class)
class BrowseViewTest {
    static final int BULK_TABLES = 20_000;
    private static PooledDbSession session;
    private static long bulkCreateMillis;
    private final RecordingDialogService dialogs = new RecordingDialogService();
    { dialogs.confirmAnswer = false; dialogs.typedAnswer = false; }   // these flows never agree to a question
    private AppContext ctx;
    private BrowseView view;

    @BeforeAll static void database() throws Exception {
        session = TestPg.session(TestPg.createDatabase("browseui"));
        try (var c = session.borrow(); var s = c.createStatement()) {
            BrowseFixture.create(c);
            s.execute("INSERT INTO rt_log.stats SELECT date '2026-01-01', 'extra' || g, g FROM generate_series(1, 450) g");
            long t0 = System.nanoTime();
            // DO blocks of 2,500 tables, each its own transaction: one transaction holding 20,000 new tables' locks
            // overflows the default lock table (max_locks_per_transaction 64): 8 round trips
            s.execute("CREATE SCHEMA bulk");
            for (int from = 1; from <= BULK_TABLES; from += 2500) {
                s.execute("DO $$ BEGIN FOR i IN " + from + ".." + Math.min(BULK_TABLES, from + 2499)
                        + " LOOP EXECUTE format('CREATE TABLE bulk.%I (x int)', 't' || lpad(i::text, 5, '0')); END LOOP; END $$");
            }
            bulkCreateMillis = (System.nanoTime() - t0) / 1_000_000;
            System.out.println("BrowseViewTest: created " + BULK_TABLES + " tables in " + bulkCreateMillis + " ms");
        }
    }

    @AfterAll static void close() {
        if (session != null) session.close();
    }

    @Start void start(Stage stage) throws Exception {
        Path home = Files.createTempDirectory("browse-ui");
        AppDirs dirs = new AppDirs(home.resolve("config"), home.resolve("state"), home.resolve("cache"));
        ctx = new AppContext(dirs, new SettingsStore(home.resolve("settings.json")), dialogs);
        view = new BrowseView(ctx);
        stage.setScene(new Scene((javafx.scene.Parent) view.root(), 1300, 850));
        stage.show();
        // start-up: build every tab's skin once (JavaFX creates them lazily on first show)
        javafx.scene.control.TabPane tabs = (javafx.scene.control.TabPane) view.root().lookup("#browseDetails");
        for (javafx.scene.control.Tab t : tabs.getTabs()) {
            tabs.getSelectionModel().select(t);
            tabs.applyCss();
            tabs.layout();
        }
        tabs.getSelectionModel().selectFirst();
    }

    @Test void browsesPartitionsDetailsAndDataEndToEnd(FxRobot robot) {
        assertThat(robot.lookup("#browseEmpty").queryAs(javafx.scene.Node.class).isVisible()).isTrue();
        robot.interact(() -> ctx.session().currentProperty().set(session));
        FxWatchdog.get().reset();

        TreeItem<BrowseNode> rtLog = waitChild(robot, dbItem(robot), n -> n.label().equals("rt_log"));
        expand(robot, rtLog);
        TreeItem<BrowseNode> tables = waitChild(robot, rtLog, n -> n.toString().equals("Tables (1)"));
        expand(robot, tables);
        TreeItem<BrowseNode> stats = waitChild(robot, tables, n -> n.toString().equals("stats (30)"));
        expand(robot, stats);
        TreeItem<BrowseNode> part = waitChild(robot, stats, n -> n.label().equals("stats_2026_01_01"));
        assertThat(stats.getChildren()).hasSize(30); // one page, no "load more"
        robot.clickOn(cellOf(robot, part));

        WaitForAsyncUtils.waitForFxEvents();
        TableView<?> columns = robot.lookup("#browseColumns").queryAs(TableView.class);
        wait(() -> columns.getItems().size() == 3);
        robot.clickOn(LabeledMatchers.hasText("DDL"));
        TextArea ddl = robot.lookup("#browseDdl").queryAs(TextArea.class);
        wait(() -> ddl.getText().contains("PARTITION OF rt_log.stats"));
        assertThat(ddl.getText()).contains("FOR VALUES FROM ('2026-01-01') TO ('2026-01-02')");
        assertThat(robot.lookup("#browseDetailsTitle").queryAs(Label.class).getText()).contains("stats_2026_01_01").contains("partition");

        // data preview: 550 rows, 200 per fetch from one cursor
        robot.clickOn(LabeledMatchers.hasText("Data"));
        @SuppressWarnings("unchecked") TableView<DataPreview.Row> data = robot.lookup("#browseDataTable").queryAs(TableView.class);
        Label dataStatus = robot.lookup("#browseDataStatus").queryAs(Label.class);
        waitFor(() -> data.getItems().size() == 200, () -> "data status: " + dataStatus.getText() + ", selected tab "
                + robot.lookup("#browseDetails").queryAs(javafx.scene.control.TabPane.class).getSelectionModel().getSelectedItem().getText());
        Button more = robot.lookup("#browseLoadMore").queryAs(Button.class);
        wait(() -> !more.isDisabled());
        robot.clickOn(more);
        wait(() -> data.getItems().size() == 400);
        wait(() -> !more.isDisabled());
        robot.clickOn(more);
        wait(() -> data.getItems().size() == 550);
        wait(more::isDisabled);
        Set<String> domains = new HashSet<>();
        data.getItems().forEach(r -> domains.add(r.values().get(1)));
        assertThat(domains).hasSize(550);
        assertThat(robot.lookup("#browseDataStatus").queryAs(Label.class).getText()).startsWith("550 rows (all)");

        assertThat(dialogs.errors()).isEmpty();
        assertThat(FxWatchdog.get().maxBlockedMillis()).as(String.join("\n", FxWatchdog.get().violations())).isLessThan(FxWatchdog.LIMIT_MILLIS);
    }

    @Test void javafxThreadStaysFreeWhileA20000TableFolderLoads(FxRobot robot) {
        robot.interact(() -> ctx.session().currentProperty().set(session));
        TreeItem<BrowseNode> bulk = waitChild(robot, dbItem(robot), n -> n.label().equals("bulk"));
        FxWatchdog.get().reset();
        expand(robot, bulk);
        TreeItem<BrowseNode> tables = waitChild(robot, bulk, n -> n.toString().equals("Tables (20,000)"));
        expand(robot, tables);
        TreeItem<BrowseNode> loadMore = waitChild(robot, tables, n -> n.type() == BrowseNode.Type.LOAD_MORE);
        assertThat(tables.getChildren()).hasSize(BrowseViewModel.PAGE_SIZE + 1);
        assertThat(loadMore.getValue().label()).isEqualTo("Load more… (500 of 20,000 shown)");
        robot.clickOn(cellOf(robot, loadMore));
        wait(() -> tables.getChildren().size() == 2 * BrowseViewModel.PAGE_SIZE + 1);
        assertThat(tables.getChildren().get(BrowseViewModel.PAGE_SIZE).getValue().label()).isEqualTo("t00501");
        assertThat(tables.getChildren().get(2 * BrowseViewModel.PAGE_SIZE).getValue().label()).isEqualTo("Load more… (1,000 of 20,000 shown)");
        assertThat(FxWatchdog.get().maxBlockedMillis()).as(String.join("\n", FxWatchdog.get().violations())).isLessThan(FxWatchdog.LIMIT_MILLIS);
        assertThat(dialogs.errors()).isEmpty();
    }

    @Test void oddIdentifiersFilterAndSearch(FxRobot robot) {
        robot.interact(() -> ctx.session().currentProperty().set(session));
        TreeItem<BrowseNode> odd = waitChild(robot, dbItem(robot), n -> n.label().equals("Odd Schema"));
        expand(robot, odd);
        TreeItem<BrowseNode> tables = waitChild(robot, odd, n -> n.toString().equals("Tables (7)"));
        expand(robot, tables);
        for (String name : BrowseFixture.ODD_TABLES) waitChild(robot, tables, n -> n.label().equals(name));
        robot.clickOn(cellOf(robot, waitChild(robot, tables, n -> n.label().equals("Order Table"))));
        @SuppressWarnings("unchecked") TableView<io.msyspg.console.core.browse.ObjectDetails.Column> columns =
                robot.lookup("#browseColumns").queryAs(TableView.class);
        wait(() -> columns.getItems().size() == 3);
        assertThat(columns.getItems().get(1).name()).isEqualTo("ünïcødé");
        TextArea ddl = robot.lookup("#browseDdl").queryAs(TextArea.class);
        wait(() -> ddl.getText().startsWith("CREATE TABLE \"Odd Schema\".\"Order Table\" ("));

        // the name filter runs on the server with % and _ taken literally
        robot.clickOn("#browseFilter").write("100%_").type(KeyCode.ENTER);
        wait(() -> tables.getChildren().size() == 1 && tables.getChildren().get(0).getValue().label().equals("100%_done"));
        wait(() -> tables.getValue().toString().equals("Tables (1)"));
        robot.clickOn("#browseFilter").eraseText(5).type(KeyCode.ENTER);
        wait(() -> tables.getChildren().size() == 7);

        // search across schemas
        robot.clickOn("#browseSearch").write("a\"quo").type(KeyCode.ENTER);
        @SuppressWarnings("unchecked") ListView<CatalogObject> results = robot.lookup("#browseSearchResults").queryAs(ListView.class);
        wait(() -> results.isVisible() && results.getItems().size() == 1);
        assertThat(results.getItems().get(0).name()).isEqualTo("a\"quote");
        assertThat(dialogs.errors()).isEmpty();
    }

    // ---- helpers ------------------------------------------------------------------------------------------

    private TreeItem<BrowseNode> dbItem(FxRobot robot) {
        TreeView<BrowseNode> tree = view.tree();
        wait(() -> tree.getRoot() != null);
        return waitChild(robot, tree.getRoot(), n -> n.type() == BrowseNode.Type.DATABASE && n.label().equals(session.target().database()));
    }

    private static void wait(java.util.concurrent.Callable<Boolean> condition) {
        waitFor(condition, () -> "");
    }

    private static void waitFor(java.util.concurrent.Callable<Boolean> condition, java.util.function.Supplier<String> state) {
        try {
            WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, condition);
        } catch (java.util.concurrent.TimeoutException e) {
            StringBuilder dump = new StringBuilder();
            Thread.getAllStackTraces().forEach((t, st) -> {
                if (t.getName().startsWith("msyspg-bg")) {
                    dump.append('\n').append(t.getName()).append(':');
                    for (int i = 0; i < Math.min(12, st.length); i++) dump.append("\n    ").append(st[i]);
                }
            });
            throw new AssertionError("condition not met within 60 s " + state.get() + dump, e);
        }
    }

    private static TreeItem<BrowseNode> waitChild(FxRobot robot, TreeItem<BrowseNode> parent, Predicate<BrowseNode> p) {
        @SuppressWarnings("unchecked") TreeItem<BrowseNode>[] found = new TreeItem[1];
        wait(() -> {
            Optional<TreeItem<BrowseNode>> f = List.copyOf(parent.getChildren()).stream().filter(c -> p.test(c.getValue())).findFirst();
            f.ifPresent(x -> found[0] = x);
            return f.isPresent();
        });
        return found[0];
    }

    private TreeCell<?> cellOf(FxRobot robot, TreeItem<BrowseNode> item) {
        TreeView<BrowseNode> tree = view.tree();
        robot.interact(() -> tree.scrollTo(Math.max(0, tree.getRow(item) - 3)));
        TreeCell<?>[] cell = new TreeCell<?>[1];
        wait(() -> {
            cell[0] = robot.lookup(".tree-cell").queryAllAs(TreeCell.class).stream()
                    .filter(c -> c.getTreeItem() == item && c.isVisible()).findFirst().orElse(null);
            return cell[0] != null;
        });
        return cell[0];
    }

    private void expand(FxRobot robot, TreeItem<BrowseNode> item) {
        robot.clickOn(cellOf(robot, item));
        robot.type(KeyCode.RIGHT);
        wait(item::isExpanded);
    }

}
