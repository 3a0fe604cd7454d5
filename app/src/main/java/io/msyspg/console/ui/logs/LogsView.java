package io.msyspg.console.ui.logs;

import io.msyspg.console.core.common.ConsoleException;
import io.msyspg.console.core.connect.DbSession;
import io.msyspg.console.core.logs.LogFileInfo;
import io.msyspg.console.core.logs.LogFilter;
import io.msyspg.console.core.logs.LogHistogram;
import io.msyspg.console.core.logs.LogSeverity;
import io.msyspg.console.core.logs.LogsSettings;
import io.msyspg.console.ui.AppContext;
import io.msyspg.console.ui.common.EmptyState;
import io.msyspg.console.ui.common.ViewLoader;
import io.msyspg.console.ui.shell.FeatureView;
import javafx.beans.property.SimpleStringProperty;
import javafx.fxml.FXML;
import javafx.scene.Node;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.control.Button;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.SelectionMode;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.Tooltip;
import javafx.scene.input.ClipboardContent;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.input.KeyEvent;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.Pane;
import javafx.scene.layout.StackPane;
import javafx.scene.paint.Color;
import javafx.stage.DirectoryChooser;
import javafx.stage.FileChooser;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

import java.io.File;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The LOGS screen: a virtualized list over the log's offset index (cells read their text through the view
 * model's bounded cache), the file list, filters, error navigation, follow, copy, export and a per-minute
 * severity histogram.
 */
public final class LogsView implements FeatureView {
    static final KeyCombination NEXT_ERROR = new KeyCodeCombination(KeyCode.E, KeyCombination.SHORTCUT_DOWN);
    static final KeyCombination PREV_ERROR = new KeyCodeCombination(KeyCode.E, KeyCombination.SHORTCUT_DOWN, KeyCombination.SHIFT_DOWN);
    static final KeyCombination COPY = new KeyCodeCombination(KeyCode.C, KeyCombination.SHORTCUT_DOWN);
    static final KeyCombination FOLLOW = new KeyCodeCombination(KeyCode.L, KeyCombination.SHORTCUT_DOWN);
    static final KeyCombination FIND = new KeyCodeCombination(KeyCode.F, KeyCombination.SHORTCUT_DOWN);
    private static final DateTimeFormatter FILE_TIME = DateTimeFormatter.ofPattern("MM-dd HH:mm").withZone(ZoneId.systemDefault());

    private final AppContext ctx;
    final LogsViewModel vm;
    private final Node empty;
    private final Canvas histogram = new Canvas();

    @FXML BorderPane root;
    @FXML TextField pathField, prefixField, includeField, excludeField, pidField, dbField, userField, fromField, toField;
    @FXML Button openFileButton, openDirButton, remoteButton, applyButton, clearButton, prevErrorButton, nextErrorButton, copyButton, exportButton;
    @FXML ToggleButton followToggle;
    @FXML ChoiceBox<String> severityBox;
    @FXML Label sourceLabel, statusLabel, countLabel;
    @FXML TableView<LogFileInfo> fileTable;
    @FXML TableColumn<LogFileInfo, String> fileNameColumn, fileSizeColumn, fileTimeColumn;
    @FXML StackPane centerStack;
    @FXML ListView<Integer> recordList;
    @FXML TextArea detailArea;
    @FXML Pane histogramPane;

    public LogsView(AppContext ctx) {
        this.ctx = ctx;
        this.vm = new LogsViewModel(ctx);
        ViewLoader.load(this);
        this.empty = EmptyState.of(Feather.FILE_TEXT, ViewLoader.bundle().getString("logs.empty.title"),
                ViewLoader.bundle().getString("logs.empty.hint"));
        empty.setId("logs-empty");
        centerStack.getChildren().add(empty);
        wire();
    }

    private void wire() {
        LogsSettings s = vm.settings();
        if (s.lastPath != null) pathField.setText(s.lastPath);
        prefixField.setText(s.prefix);
        followToggle.setSelected(s.follow);
        openFileButton.setGraphic(new FontIcon(Feather.FILE));
        openDirButton.setGraphic(new FontIcon(Feather.FOLDER));
        remoteButton.setGraphic(new FontIcon(Feather.DATABASE));
        followToggle.setGraphic(new FontIcon(Feather.PLAY));
        prevErrorButton.setGraphic(new FontIcon(Feather.CHEVRON_UP));
        nextErrorButton.setGraphic(new FontIcon(Feather.CHEVRON_DOWN));
        copyButton.setGraphic(new FontIcon(Feather.COPY));
        exportButton.setGraphic(new FontIcon(Feather.DOWNLOAD));
        followToggle.setTooltip(new Tooltip("Follow new lines through rotations (Ctrl+L)"));
        nextErrorButton.setTooltip(new Tooltip("Next ERROR, FATAL or PANIC (Ctrl+E)"));
        prevErrorButton.setTooltip(new Tooltip("Previous ERROR, FATAL or PANIC (Ctrl+Shift+E)"));
        copyButton.setTooltip(new Tooltip("Copy the selected records (Ctrl+C)"));
        exportButton.setTooltip(new Tooltip("Save the filtered records to a file"));
        includeField.setTooltip(new Tooltip("Java regular expression on the record text (Ctrl+F); Enter filters"));
        remoteButton.setTooltip(new Tooltip("Read the connected server's log with pg_ls_logdir(), pg_current_logfile() and pg_read_binary_file()"));
        remoteButton.disableProperty().bind(ctx.session().currentProperty().isNull());
        // a server on this host: its data directory (log_directory is read from its configuration) in the path field,
        // opened when this screen shows with nothing open; a path the admin typed stays
        ctx.session().currentProperty().addListener((o, a, session) -> {
            if (session != null) vm.suggestLocal(session, ctx.session().profileDataDirectory());
        });
        if (ctx.session().current() != null) vm.suggestLocal(ctx.session().current(), ctx.session().profileDataDirectory());
        vm.suggestedPath.addListener((o, a, p) -> {
            String typed = pathField.getText() == null ? "" : pathField.getText().strip();
            if (p == null || !(typed.isEmpty() || typed.equals(suggested))) return;
            suggested = p;
            pathField.setText(p);
            if (vm.document() == null) {
                vm.status.set("The connected server's data directory is on this host: press Enter to open its log.");
                vm.problem.set(false);
            }
            openSuggestionIfIdle();
        });
        followToggle.disableProperty().bind(vm.followable.not());

        severityBox.getItems().addAll("All severities", "DEBUG1 and above", "LOG and above", "NOTICE and above", "WARNING and above", "ERROR and above");
        severityBox.getSelectionModel().select(0);
        severityBox.setOnAction(e -> applyFilter());

        pathField.setOnAction(e -> openTyped());
        openDirButton.setOnAction(e -> {
            DirectoryChooser ch = new DirectoryChooser();
            ch.setTitle("Log directory or data directory");
            File f = ch.showDialog(root.getScene().getWindow());
            if (f != null) { pathField.setText(f.toString()); openTyped(); }
        });
        openFileButton.setOnAction(e -> {
            FileChooser ch = new FileChooser();
            ch.setTitle("Log file");
            File f = ch.showOpenDialog(root.getScene().getWindow());
            if (f != null) { pathField.setText(f.toString()); openTyped(); }
        });
        remoteButton.setOnAction(e -> {
            DbSession session = ctx.session().current();
            if (session != null) vm.openRemote(session, prefixField.getText());
        });
        prefixField.setOnAction(e -> openTyped());
        followToggle.selectedProperty().bindBidirectional(vm.following);
        vm.following.addListener((o, a, on) -> {
            LogsSettings st = vm.settings();
            if (st.follow != on) { st.follow = on; ctx.settings().put(st); }
            if (on) scrollToEnd();
        });
        for (TextField f : List.of(includeField, excludeField, pidField, dbField, userField, fromField, toField)) f.setOnAction(e -> applyFilter());
        applyButton.setOnAction(e -> applyFilter());
        clearButton.setOnAction(e -> {
            for (TextField f : List.of(includeField, excludeField, pidField, dbField, userField, fromField, toField)) f.clear();
            severityBox.getSelectionModel().select(0);
            applyFilter();
        });
        nextErrorButton.setOnAction(e -> jumpError(1));
        prevErrorButton.setOnAction(e -> jumpError(-1));
        copyButton.setOnAction(e -> copy());
        exportButton.setOnAction(e -> {
            FileChooser ch = new FileChooser();
            ch.setTitle("Export the filtered records");
            ch.setInitialFileName("filtered.log");
            File f = ch.showSaveDialog(root.getScene().getWindow());
            if (f != null) vm.export(f.toPath());
        });

        // files
        fileNameColumn.setCellValueFactory(c -> new SimpleStringProperty(c.getValue().name()));
        fileSizeColumn.setCellValueFactory(c -> new SimpleStringProperty(human(c.getValue().size())));
        fileTimeColumn.setCellValueFactory(c -> new SimpleStringProperty(FILE_TIME.format(Instant.ofEpochMilli(c.getValue().modifiedMillis()))));
        fileTable.setItems(vm.files);
        fileTable.setPlaceholder(new Label("No files"));
        fileTable.setRowFactory(t -> {
            TableRow<LogFileInfo> row = new TableRow<>();
            row.setOnMouseClicked(e -> {
                if (e.getClickCount() == 2 && !row.isEmpty()) vm.openFile(row.getItem().name(), prefixField.getText());
            });
            return row;
        });
        fileTable.setOnKeyPressed(e -> {
            if (e.getCode() == KeyCode.ENTER && fileTable.getSelectionModel().getSelectedItem() != null) {
                vm.openFile(fileTable.getSelectionModel().getSelectedItem().name(), prefixField.getText());
            }
        });

        // records
        recordList.setItems(vm.items);
        recordList.getSelectionModel().setSelectionMode(SelectionMode.MULTIPLE);
        recordList.setFixedCellSize(22);
        recordList.setCellFactory(l -> new RecordCell());
        recordList.getSelectionModel().selectedItemProperty().addListener((o, a, rec) -> showDetail(rec));
        vm.textsArrived.addListener((o, a, b) -> {
            recordList.refresh();
            showDetail(recordList.getSelectionModel().getSelectedItem());
        });
        vm.items.addListener((javafx.collections.ListChangeListener<Integer>) c -> {
            if (vm.following.get()) scrollToEnd();
            empty.setVisible(vm.document() == null);
        });

        sourceLabel.textProperty().bind(vm.source);
        Tooltip sourceTip = new Tooltip();
        sourceTip.textProperty().bind(vm.source);          // the label gives way to the filters: the whole text here
        sourceLabel.setTooltip(sourceTip);
        statusLabel.textProperty().bind(vm.status);
        countLabel.textProperty().bind(vm.counts);
        vm.problem.addListener((o, a, p) -> {
            if (p) statusLabel.getStyleClass().add("logs-status-problem");
            else statusLabel.getStyleClass().remove("logs-status-problem");
            if (vm.document() == null && p) empty.setVisible(true);
        });
        vm.status.addListener((o, a, b) -> { if (vm.document() != null) empty.setVisible(false); });

        histogramPane.getChildren().add(histogram);
        histogram.widthProperty().bind(histogramPane.widthProperty());
        histogram.heightProperty().bind(histogramPane.heightProperty());
        histogram.widthProperty().addListener(o -> drawHistogram());
        vm.histogram.addListener((o, a, h) -> drawHistogram());
        Tooltip histogramTip = new Tooltip(histogramText(0));
        histogramTip.setShowDelay(javafx.util.Duration.millis(200));
        Tooltip.install(histogramPane, histogramTip);
        histogramPane.setOnMouseMoved(e -> histogramTip.setText(histogramText(e.getX())));
        histogramPane.setOnMouseClicked(e -> jumpToHistogram(e.getX()));
        histogramPane.setCursor(javafx.scene.Cursor.HAND);

        root.addEventFilter(KeyEvent.KEY_PRESSED, e -> {
            if (PREV_ERROR.match(e)) { jumpError(-1); e.consume(); }
            else if (NEXT_ERROR.match(e)) { jumpError(1); e.consume(); }
            else if (FOLLOW.match(e) && vm.followable.get()) { vm.following.set(!vm.following.get()); e.consume(); }
            else if (FIND.match(e)) { includeField.requestFocus(); e.consume(); }
            else if (COPY.match(e) && recordList.isFocused()) { copy(); e.consume(); }
        });
    }

    /** The last data directory put into the path field for the admin (replaced by the next one unless edited). */
    private String suggested;

    @Override public void onShown() {
        openSuggestionIfIdle();
    }

    /**
     * While this screen is shown and nothing was opened in it yet, the offered data directory is opened at once: the
     * connected server's log (the demo's on a first launch) without a keystroke. A typed path is never opened for the admin.
     */
    private void openSuggestionIfIdle() {
        if (root.getScene() == null || !vm.nothingOpened() || suggested == null || !suggested.equals(pathField.getText())) return;
        openTyped();
    }

    private void openTyped() {
        String p = pathField.getText() == null ? "" : pathField.getText().trim();
        if (p.isEmpty()) return;
        vm.openLocal(Path.of(p), prefixField.getText());
    }

    void applyFilter() {
        try {
            vm.applyFilter(readFilter());
        } catch (ConsoleException e) {
            vm.status.set(e.getMessage());
            vm.problem.set(true);
        }
    }

    LogFilter readFilter() {
        int sel = severityBox.getSelectionModel().getSelectedIndex();
        LogSeverity min = switch (sel) {
            case 1 -> LogSeverity.DEBUG1;
            case 2 -> LogSeverity.LOG;
            case 3 -> LogSeverity.NOTICE;
            case 4 -> LogSeverity.WARNING;
            case 5 -> LogSeverity.ERROR;
            default -> null;
        };
        Integer pid = null;
        String ps = pidField.getText().trim();
        if (!ps.isEmpty()) {
            try {
                pid = Integer.valueOf(ps);
            } catch (NumberFormatException e) {
                throw new ConsoleException("The pid filter '" + ps + "' is not a number.");
            }
        }
        return new LogFilter(min == null ? null : LogFilter.atLeast(min), time(fromField, Long.MIN_VALUE), time(toField, Long.MAX_VALUE),
                pid, blankToNull(dbField.getText()), blankToNull(userField.getText()),
                LogFilter.regex("include", includeField.getText()), LogFilter.regex("exclude", excludeField.getText()));
    }

    private static long time(TextField f, long none) {
        String t = f.getText().trim();
        if (t.isEmpty()) return none;
        for (String p : List.of("yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm", "yyyy-MM-dd")) {
            try {
                LocalDateTime ldt = p.length() == 10 ? java.time.LocalDate.parse(t, DateTimeFormatter.ofPattern(p)).atStartOfDay()
                        : LocalDateTime.parse(t, DateTimeFormatter.ofPattern(p));
                return ldt.atZone(ZoneId.systemDefault()).toInstant().toEpochMilli();
            } catch (DateTimeParseException e) {
                // next pattern
            }
        }
        throw new ConsoleException("The time '" + t + "' is not yyyy-MM-dd HH:mm[:ss] (local time).");
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    private void jumpError(int dir) {
        int pos = recordList.getSelectionModel().getSelectedIndex();
        if (pos < 0) pos = dir > 0 ? -1 : vm.items.size();
        int k = vm.findError(pos, dir);
        if (k < 0) {
            vm.status.set(dir > 0 ? "No further error below." : "No error above.");
            return;
        }
        if (vm.following.get()) vm.following.set(false);     // stay on the error instead of scrolling to new lines
        recordList.getSelectionModel().clearAndSelect(k);
        recordList.scrollTo(Math.max(0, k - 3));
    }

    private void copy() {
        List<Integer> sel = new ArrayList<>(recordList.getSelectionModel().getSelectedItems());
        vm.copy(sel, text -> {
            ClipboardContent c = new ClipboardContent();
            c.putString(text);
            javafx.scene.input.Clipboard.getSystemClipboard().setContent(c);
        });
    }

    private void scrollToEnd() {
        if (vm.items.size() > 0) recordList.scrollTo(vm.items.size() - 1);
    }

    private void showDetail(Integer rec) {
        if (rec == null) { detailArea.clear(); return; }
        String t = vm.textOf(rec);
        detailArea.setText(t == null ? "…" : t);
    }

    /** What the histogram shows: its first minute, minutes per column, and per column the ERROR / WARNING / other counts. */
    record HistogramLayout(long first, double minutesPerColumn, double columnWidth, int[][] counts) {
        int column(double x) { return (int) Math.max(0, Math.min(counts.length - 1, x / columnWidth)); }
        long minuteOf(int col) { return first + (long) Math.floor(col * minutesPerColumn) * 60_000L; }
    }

    private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneId.systemDefault());
    private static final DateTimeFormatter DAY_MINUTE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm z").withZone(ZoneId.systemDefault());
    /** Pixels under the bars for the time labels. */
    private static final double LABELS = 12;
    HistogramLayout histogramLayout;

    private void drawHistogram() {
        GraphicsContext g = histogram.getGraphicsContext2D();
        double w = histogram.getWidth(), h = histogram.getHeight();
        g.clearRect(0, 0, w, h);
        histogramLayout = null;
        LogHistogram hist = vm.histogram.get();
        if (hist == null || hist.minutes().isEmpty() || w < 10) return;
        Map<Long, int[]> m = hist.minutes();
        long last = ((java.util.TreeMap<Long, int[]>) m).lastKey();
        // at least an hour wide: a short log gets narrow bars at the right, not one bar across the window
        long first = Math.min(hist.minutes().keySet().iterator().next(), last - 59 * 60_000L);
        int minutes = (int) ((last - first) / 60_000L) + 1;
        int cols = (int) Math.max(1, Math.min(minutes, w / 3));
        double per = (double) minutes / cols;
        int[][] c = new int[cols][3];
        int max = 1;
        for (var e : m.entrySet()) {
            int col = (int) Math.min(cols - 1, ((e.getKey() - first) / 60_000L) / per);
            int[] v = e.getValue();
            for (int s = 0; s < v.length; s++) {
                LogSeverity sev = LogSeverity.ofCode(s);
                c[col][sev.isError() ? 0 : sev == LogSeverity.WARNING ? 1 : 2] += v[s];
            }
        }
        for (int[] x : c) max = Math.max(max, x[0] + x[1] + x[2]);
        double bw = w / cols, bars = h - LABELS;
        histogramLayout = new HistogramLayout(first, per, bw, c);
        Color[] colors = {Color.web("#cf222e"), Color.web("#bf8700"), Color.web("#0969da", 0.7)};
        for (int i = 0; i < cols; i++) {
            double y = bars;
            for (int k = 0; k < 3; k++) {
                double bh = (bars - 2) * c[i][k] / max;
                if (bh <= 0) continue;
                g.setFill(colors[k]);
                g.fillRect(i * bw, y - bh, Math.max(1, bw - 1), bh);
                y -= bh;
            }
        }
        // the time axis: the first and the last minute, and the tallest column's count
        g.setFill(Color.GRAY);
        g.setFont(javafx.scene.text.Font.font(10));
        g.setTextBaseline(javafx.geometry.VPos.BOTTOM);
        g.setTextAlign(javafx.scene.text.TextAlignment.LEFT);
        g.fillText(MINUTE.format(Instant.ofEpochMilli(first)), 2, h);
        g.setTextBaseline(javafx.geometry.VPos.TOP);
        g.fillText(per <= 1 ? max + "/min" : max + " per " + Math.round(per) + " min", 2, 0);
        g.setTextBaseline(javafx.geometry.VPos.BOTTOM);
        g.setTextAlign(javafx.scene.text.TextAlignment.RIGHT);
        g.fillText(MINUTE.format(Instant.ofEpochMilli(last)), w - 2, h);
    }

    /** "10:52 UTC (3 min): 27 records, 1 error, 1 warning — click to go there", for the column under x. */
    String histogramText(double x) {
        HistogramLayout l = histogramLayout;
        if (l == null) return "Records per minute: red ERROR and worse, orange WARNING, blue the rest";
        int col = l.column(x);
        int[] v = l.counts()[col];
        long from = l.minuteOf(col), to = l.minuteOf(col + 1);
        long span = Math.max(1, (to - from) / 60_000L);
        return DAY_MINUTE.format(Instant.ofEpochMilli(from)) + (span > 1 ? " (" + span + " min)" : "") + ": "
                + (v[0] + v[1] + v[2]) + " records, " + v[0] + " error(s), " + v[1] + " warning(s) — click to go there";
    }

    /** Selects the first listed record of the minute under x (following stops there). */
    void jumpToHistogram(double x) {
        HistogramLayout l = histogramLayout;
        if (l == null) return;
        long minute = l.minuteOf(l.column(x));
        int k = vm.findTime(minute);
        if (k < 0) {
            vm.status.set("No record at or after " + DAY_MINUTE.format(Instant.ofEpochMilli(minute)) + " in the list.");
            return;
        }
        if (vm.following.get()) vm.following.set(false);
        recordList.getSelectionModel().clearAndSelect(k);
        recordList.scrollTo(Math.max(0, k - 3));
        vm.status.set("At " + DAY_MINUTE.format(Instant.ofEpochMilli(minute)) + ".");
    }

    private static String human(long b) {
        if (b < 1024) return b + " B";
        if (b < 1 << 20) return (b >> 10) + " kB";
        if (b < 1L << 30) return (b >> 20) + " MB";
        return String.format("%.1f GB", b / (double) (1L << 30));
    }

    /** One record: its first lines, coloured by severity; text from the view model's cache. */
    private final class RecordCell extends ListCell<Integer> {
        private static final List<String> CLASSES = List.of("severity-error", "severity-fatal", "severity-panic", "severity-warning",
                "severity-notice", "severity-info", "severity-debug", "severity-unknown", "severity-log");

        @Override protected void updateItem(Integer rec, boolean emptyCell) {
            super.updateItem(rec, emptyCell);
            getStyleClass().removeAll(CLASSES);
            if (emptyCell || rec == null || vm.document() == null) {
                setText(null);
                return;
            }
            LogSeverity sev = vm.document().index().severity(rec);
            String cls = switch (sev) {
                case DEBUG1, DEBUG2, DEBUG3, DEBUG4, DEBUG5 -> "severity-debug";
                default -> "severity-" + sev.name().toLowerCase();
            };
            getStyleClass().add(cls);
            String t = vm.textOf(rec);
            if (t == null) {
                setText("…");
                return;
            }
            setText(shorten(t));
        }
    }

    /** One line per cell (fixed height keeps the list cheap at millions of records): the first line and a line count. */
    static String shorten(String t) {
        String s = t.endsWith("\n") ? t.substring(0, t.length() - 1) : t;
        int nl = s.indexOf('\n');
        String first = nl < 0 ? s : s.substring(0, nl);
        if (first.endsWith("\r")) first = first.substring(0, first.length() - 1);
        if (first.length() > 600) first = first.substring(0, 600) + " …";
        if (nl < 0) return first;
        long more = s.chars().filter(c -> c == '\n').count();
        return first + "   [+" + more + (more == 1 ? " line]" : " lines]");
    }

    @Override public Node root() { return root; }
}
