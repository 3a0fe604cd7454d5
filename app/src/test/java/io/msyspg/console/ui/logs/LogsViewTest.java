package io.msyspg.console.ui.logs;

import io.msyspg.console.core.common.AppDirs;
import io.msyspg.console.core.connect.PooledDbSession;
import io.msyspg.console.core.logs.LogSeverity;
import io.msyspg.console.core.settings.SettingsStore;
import io.msyspg.console.testsupport.TestPg;
import io.msyspg.console.ui.AppContext;
import io.msyspg.console.ui.common.DialogService;
import io.msyspg.console.ui.common.FxWatchdog;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.control.ListCell;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(ApplicationExtension.class)
class LogsViewTest {
    @TempDir static Path dir;
    AppContext ctx;
    LogsView view;
    final List<String> errors = new CopyOnWriteArrayList<>();

    @Start
    void start(Stage stage) {
        TestPg.shared();
        DialogService dialogs = new DialogService() {
            @Override public void showError(String title, Throwable error) { errors.add(title + ": " + error); }
            @Override public void showError(String title, String message, String details) { errors.add(title + ": " + message); }
            @Override public void showInfo(String title, String message) {}
            @Override public boolean confirm(String title, String message, String confirmLabel) { return false; }
            @Override public boolean confirmByTyping(String title, String message, String expected) { return false; }
            @Override public Optional<char[]> askPassword(String title, String message) { return Optional.empty(); }
        };
        ctx = new AppContext(new AppDirs(dir.resolve("c"), dir.resolve("s"), dir.resolve("k")),
                new SettingsStore(dir.resolve("settings-" + System.nanoTime() + ".json")), dialogs);
        view = new LogsView(ctx);
        stage.setScene(new Scene((Parent) view.root(), 960, 620));
        stage.show();
    }

    @AfterEach
    void close() {
        view.vm.close();
        ctx.close();
    }

    static void sql(String s) throws Exception {
        try (Connection c = TestPg.shared().connect("postgres"); Statement st = c.createStatement()) {
            st.execute(s);
        } catch (java.sql.SQLException e) {
            if (!s.contains("EXCEPTION")) throw e;
        }
    }

    boolean cellShows(FxRobot robot, String text) {
        return robot.lookup(".list-cell").queryAllAs(ListCell.class).stream()
                .anyMatch(c -> c.getText() != null && c.getText().contains(text));
    }

    @Test
    void followsTheServerLogFiltersAndJumpsToErrors(FxRobot robot) throws Exception {
        assertThat(robot.lookup("#logs-empty").query().isVisible()).as("empty state %s / %s", robot.lookup("#logs-empty").queryAll(), view.vm.status.get()).isTrue();
        robot.interact(() -> view.pathField.setText(TestPg.shared().logDir().toString()));
        robot.clickOn("#logs-path").type(KeyCode.ENTER);
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> view.vm.document() != null && view.vm.items.size() > 0);
        assertThat(view.followToggle.isSelected()).isTrue();
        assertThat(robot.lookup("#logs-empty").query().isVisible()).isFalse();
        WaitForAsyncUtils.waitForFxEvents();
        FxWatchdog.get().reset();

        String mark = "uimark-" + System.nanoTime();
        sql("DO $$ BEGIN RAISE LOG '" + mark + "'; END $$");
        // shown while following (how fast is the follow benchmark's figure: bench/run logs, p95 latency)
        try {
            WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> cellShows(robot, mark));
        } catch (java.util.concurrent.TimeoutException e) {
            Thread.sleep(3000);
            var d = view.vm.document();
            System.err.println("DEBUG status=" + view.statusLabel.getText() + " items=" + view.vm.items.size() + " idx=" + d.index().size()
                + " follow=" + view.followToggle.isSelected() + " segs=" + d.index().segments().stream().map(x -> x.file() + "@" + x.start() + "-" + x.end()).toList()
                + " cells=" + robot.lookup(".list-cell").queryAllAs(ListCell.class).stream().map(c -> String.valueOf(c.getText())).toList()
                + " tasks=" + ctx.tasks().running().stream().map(t -> t.getTitle()).toList() + " errors=" + errors);
            throw e;
        }

        String err = "uierr-" + System.nanoTime();
        sql("DO $$ BEGIN RAISE EXCEPTION '" + err + "'; END $$");
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> cellShows(robot, err));
        // Ctrl+Shift+E from the end selects the newest error
        robot.interact(() -> view.recordList.getSelectionModel().clearSelection());
        robot.clickOn("#logs-include").press(KeyCode.CONTROL, KeyCode.SHIFT, KeyCode.E).release(KeyCode.E, KeyCode.SHIFT, KeyCode.CONTROL);
        WaitForAsyncUtils.waitForFxEvents();
        Integer sel = view.recordList.getSelectionModel().getSelectedItem();
        assertThat(sel).isNotNull();
        assertThat(view.vm.document().index().severity(sel)).isEqualTo(LogSeverity.ERROR);
        assertThat(view.followToggle.isSelected()).as("jumping stops follow").isFalse();
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> view.detailArea.getText().contains(err));

        // regex filter: only the mark
        robot.interact(() -> view.includeField.setText("uimark-[0-9]+"));
        robot.clickOn("#logs-include").type(KeyCode.ENTER);
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> view.vm.items.filtered() && view.vm.items.size() == 1);
        try {
            WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> cellShows(robot, mark));
        } catch (java.util.concurrent.TimeoutException e) {
            System.err.println("DEBUG items=" + view.vm.items.size() + " first=" + view.vm.items.get(0) + " text=" + view.vm.textOf(view.vm.items.get(0))
                + " cells=" + robot.lookup(".list-cell").queryAllAs(ListCell.class).stream().map(c -> c.getIndex() + ":" + c.getItem() + ":" + c.getText()).toList()
                + " tasks=" + ctx.tasks().running().stream().map(t -> t.getTitle()).toList() + " errors=" + errors + " status=" + view.vm.status.get());
            throw e;
        }
        assertThat(view.countLabel.getText()).startsWith("1 of ");
        // an invalid regex is reported in the status line, nothing crashes
        robot.interact(() -> view.includeField.setText("a(b"));
        robot.clickOn("#logs-include").type(KeyCode.ENTER);
        assertThat(view.statusLabel.getText()).contains("include regular expression is invalid");
        robot.clickOn("#logs-clear");
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> !view.vm.items.filtered());

        // export of the filtered records
        robot.interact(() -> {
            view.severityBox.getSelectionModel().select(5);
            view.applyFilter();
        });
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> view.vm.items.size() >= 1 && cellShows(robot, err));
        Path out = dir.resolve("errors.log");
        robot.interact(() -> view.vm.export(out));
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> java.nio.file.Files.exists(out) && java.nio.file.Files.readString(out).contains(err));
        assertThat(java.nio.file.Files.readString(out)).doesNotContain(mark);
        // histogram and file list
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> view.vm.histogram.get() != null && !view.vm.histogram.get().minutes().isEmpty());
        assertThat(view.fileTable.getItems()).isNotEmpty();
        assertThat(FxWatchdog.get().maxBlockedMillis()).as("FX thread blocked: %s", FxWatchdog.get().violations()).isLessThan(250);
        assertThat(errors).isEmpty();
    }

    @Test
    void remoteSourceAndMissingDirectory(FxRobot robot) throws Exception {
        robot.interact(() -> view.pathField.setText(dir.resolve("no-such-dir").toString()));
        robot.clickOn("#logs-path").type(KeyCode.ENTER);
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> view.statusLabel.getText().contains("does not exist"));
        assertThat(view.statusLabel.getStyleClass()).contains("logs-status-problem");
        assertThat(robot.lookup("#logs-remote").query().isDisabled()).isTrue();

        // warm up (class loading and first skins of the list and file table are not what the watchdog checks)
        robot.interact(() -> view.pathField.setText(TestPg.shared().logDir().toString()));
        robot.clickOn("#logs-path").type(KeyCode.ENTER);
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> view.vm.document() != null && view.vm.items.size() > 0 && !view.fileTable.getItems().isEmpty());
        WaitForAsyncUtils.waitForFxEvents();
        PooledDbSession s = TestPg.session("postgres");
        try {
            robot.interact(() -> ctx.session().currentProperty().set(s));
            WaitForAsyncUtils.waitForFxEvents();
            FxWatchdog.get().reset();
            robot.clickOn("#logs-remote");
            WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> view.sourceLabel.getText().contains("server ") && view.vm.items.size() > 0);
            String mark = "remotemark-" + System.nanoTime();
            sql("DO $$ BEGIN RAISE LOG '" + mark + "'; END $$");
            try {
                WaitForAsyncUtils.waitFor(15, TimeUnit.SECONDS, () -> cellShows(robot, mark));   // SQL round trips
            } catch (java.util.concurrent.TimeoutException e) {
                Thread.sleep(2000);
                var d = view.vm.document();
                throw new AssertionError("not shown within 15 s; status=" + view.statusLabel.getText() + " items=" + view.vm.items.size() + " idx=" + d.index().size()
                    + " follow=" + view.followToggle.isSelected() + " segs=" + d.index().segments().stream().map(x -> x.file() + "@" + x.start() + "-" + x.end()).toList()
                    + " cells=" + robot.lookup(".list-cell").queryAllAs(ListCell.class).stream().map(c -> c.getIndex() + ":" + c.getText()).toList()
                    + " errors=" + errors + " shows later=" + cellShows(robot, mark), e);
            }
            assertThat(FxWatchdog.get().maxBlockedMillis()).as("FX thread blocked: %s", FxWatchdog.get().violations()).isLessThan(250);
        } finally {
            robot.interact(() -> view.vm.close());
            s.close();
        }
    }

    @Test
    void offersTheConnectedServersDataDirectoryOnThisHostAndKeepsWhatTheAdminTyped(FxRobot robot) throws Exception {
        assertThat(view.pathField.getText()).as("a new settings file has no last path").isNullOrEmpty();
        Path data = TestPg.shared().dataDir();
        PooledDbSession s = TestPg.session("postgres");
        try {
            robot.interact(() -> ctx.session().currentProperty().set(s));
            WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> data.toString().equals(view.pathField.getText()));
            // the screen is shown and nothing was opened in it: the server's log opens without a keystroke
            WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> view.vm.document() != null && view.vm.items.size() > 0);
            assertThat(view.sourceLabel.getText()).contains(TestPg.shared().logDir().toString());

            // a path the admin typed stays when the session comes back (the suggestion arrives again)
            robot.interact(() -> view.pathField.setText("/var/db/msyspg/pg_log"));
            robot.interact(() -> {
                ctx.session().currentProperty().set(null);
                ctx.session().currentProperty().set(s);
            });
            WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> data.toString().equals(view.vm.suggestedPath.get()));
            WaitForAsyncUtils.waitForFxEvents();
            assertThat(view.pathField.getText()).isEqualTo("/var/db/msyspg/pg_log");
        } finally {
            robot.interact(() -> view.vm.close());
            s.close();
        }
    }

    @Test
    void theHistogramNamesEachMinuteAndAClickGoesToIt(FxRobot robot) throws Exception {
        // two hours, five records a minute; minute 90 also holds an ERROR
        Path f = dir.resolve("hist").resolve("postgresql-2026-11-21-07.log");
        java.nio.file.Files.createDirectories(f.getParent());
        java.time.format.DateTimeFormatter fmt = java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS")
                .withZone(java.time.ZoneOffset.UTC);
        long base = java.time.Instant.parse("2026-11-21T07:00:00Z").toEpochMilli();
        StringBuilder sb = new StringBuilder();
        for (int m = 0; m < 120; m++) {
            for (int k = 0; k < 5; k++) {
                sb.append(fmt.format(java.time.Instant.ofEpochMilli(base + m * 60_000L + k * 1000L))).append(" UTC [7] LOG:  rec ")
                        .append(m).append('.').append(k).append('\n');
            }
            if (m == 90) sb.append(fmt.format(java.time.Instant.ofEpochMilli(base + m * 60_000L + 30_000L))).append(" UTC [7] ERROR:  at minute 90\n");
        }
        java.nio.file.Files.writeString(f, sb);
        robot.interact(() -> view.pathField.setText(f.toString()));
        robot.clickOn("#logs-path").type(KeyCode.ENTER);
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> view.vm.document() != null && view.vm.items.size() == 601
                && view.histogramLayout != null);
        WaitForAsyncUtils.waitForFxEvents();
        LogsView.HistogramLayout l = view.histogramLayout;
        assertThat(l.counts().length).as("one column a minute at this width").isEqualTo(120);
        double x = (90 + 0.5) * l.columnWidth();
        assertThat(view.histogramText(x)).contains("6 records, 1 error(s), 0 warning(s)").contains("click to go there");
        assertThat(view.histogramText((30 + 0.5) * l.columnWidth())).contains("5 records, 0 error(s)");

        javafx.geometry.Bounds b = view.histogramPane.localToScreen(view.histogramPane.getBoundsInLocal());
        robot.clickOn(new javafx.geometry.Point2D(b.getMinX() + x, b.getMinY() + b.getHeight() / 2));
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(view.recordList.getSelectionModel().getSelectedIndex()).as("the first record of minute 90").isEqualTo(450);
        assertThat(view.followToggle.isSelected()).as("following stops at the chosen minute").isFalse();
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> view.detailArea.getText().contains("rec 90.0"));
    }
}
