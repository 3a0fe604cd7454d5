package io.msyspg.console.ui.browse;

import io.msyspg.console.core.browse.CatalogObject;
import io.msyspg.console.core.browse.CatalogService;
import io.msyspg.console.core.browse.DataPreview;
import io.msyspg.console.core.browse.Folder;
import io.msyspg.console.core.browse.ObjectDetails;
import io.msyspg.console.core.browse.ObjectKind;
import io.msyspg.console.core.browse.Page;
import io.msyspg.console.core.browse.SchemaInfo;
import io.msyspg.console.core.common.ConsoleException;
import io.msyspg.console.core.connect.DbSession;
import io.msyspg.console.core.task.Job;
import io.msyspg.console.ui.AppContext;
import io.msyspg.console.ui.common.BackgroundTask;
import io.msyspg.console.ui.common.EmptyState;
import io.msyspg.console.ui.common.ViewLoader;
import io.msyspg.console.ui.shell.FeatureView;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.fxml.FXML;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.MenuItem;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.SplitPane;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TablePosition;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.Tooltip;
import javafx.scene.control.TreeCell;
import javafx.scene.control.TreeItem;
import javafx.scene.control.TreeView;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.StackPane;
import javafx.stage.FileChooser;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

import java.io.File;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The schema browser: a lazy tree (server → databases → schemas → folders → objects, partitions under their
 * parent), paged 500 at a time with a "Load more" node, a details pane and a data preview. Every load runs
 * through the task executor with a visible "Loading…" node; Esc or Cancel stops it on the server.
 */
public final class BrowseView implements FeatureView {
    static final int GRID_CHARS = 200;

    private final AppContext ctx;
    private final BrowseViewModel vm;
    private final Node emptyState;

    @FXML private StackPane root;
    @FXML private BorderPane browser;
    @FXML private TextField filterField;
    @FXML private ToggleButton systemToggle;
    @FXML private Button refreshButton;
    @FXML private Button cancelButton;
    @FXML private TextField searchField;
    @FXML private ListView<CatalogObject> searchResults;
    @FXML private TreeView<BrowseNode> tree;
    @FXML private Label treeStatus;
    @FXML private Label detailsTitle;
    @FXML private TabPane detailsTabs;
    @FXML private Tab dataTab;
    @FXML private Tab ddlTab;
    @FXML private TableView<Map.Entry<String, String>> propertiesTable;
    @FXML private TableView<ObjectDetails.Column> columnsTable;
    @FXML private TableView<ObjectDetails.Index> indexesTable;
    @FXML private TableView<ObjectDetails.Constraint> constraintsTable;
    @FXML private TableView<ObjectDetails.Trigger> triggersTable;
    @FXML private TableView<ObjectDetails.Privilege> privilegesTable;
    @FXML private TextArea ddlArea;
    @FXML private Button loadMoreButton;
    @FXML private Button reloadDataButton;
    @FXML private Button copyButton;
    @FXML private Button fullValueButton;
    @FXML private Button exportButton;
    @FXML private Label dataStatus;
    @FXML private TableView<DataPreview.Row> dataTable;
    private final ComboBox<String> orderBy = new ComboBox<>();
    private final ToggleButton descending = new ToggleButton("Desc");
    private final TextArea valueArea = new TextArea();
    private String searchDb;
    private boolean updatingOrderBy;

    public BrowseView(AppContext ctx) {
        this.ctx = ctx;
        this.vm = new BrowseViewModel(ctx);
        ViewLoader.load(this);
        this.emptyState = EmptyState.of(Feather.DATABASE, "Connect to a server first",
                "The schema browser shows the databases, schemas, tables and partitions of the server you are connected to. "
                        + "Open the Connections screen (Ctrl+1) and connect.");
        emptyState.setId("browseEmpty");
        root.getChildren().add(emptyState);
        setUpToolbar();
        setUpTree();
        setUpDetails();
        setUpData();
        ctx.session().currentProperty().addListener((obs, old, s) -> showSession(s));
        showSession(ctx.session().current());
    }

    public BrowseViewModel viewModel() { return vm; }

    @Override public Node root() { return root; }

    private void showSession(DbSession s) {
        vm.setSession(s);
        browser.setVisible(s != null);
        emptyState.setVisible(s == null);
        searchResults.getItems().clear();
        hideSearch();
        if (s == null) {
            tree.setRoot(null);
            return;
        }
        searchDb = s.target().database();
        LazyItem server = new LazyItem(BrowseNode.server(s.target().user() + "@" + s.target().host() + ":" + s.target().port()
                + " (PostgreSQL " + s.serverVersion().text() + ")"));
        tree.setRoot(server);
        server.setExpanded(true);
    }

    // ---- toolbar ------------------------------------------------------------------------------------------

    private void setUpToolbar() {
        filterField.textProperty().bindBidirectional(vm.filterProperty());
        filterField.setOnAction(e -> applyFilter());
        filterField.setTooltip(new Tooltip("Show only names containing this text (case-insensitive), searched on the server. Enter applies."));
        systemToggle.setGraphic(new FontIcon(Feather.SLIDERS));
        systemToggle.selectedProperty().bindBidirectional(vm.showSystemProperty());
        systemToggle.selectedProperty().addListener((o, a, b) -> {
            TreeItem<BrowseNode> r = tree.getRoot();
            if (r != null) forEach(r, item -> {
                if (item.getValue().type() == BrowseNode.Type.DATABASE) refresh(item);
            });
        });
        systemToggle.setTooltip(new Tooltip("Show pg_catalog, information_schema and pg_toast"));
        refreshButton.setGraphic(new FontIcon(Feather.REFRESH_CW));
        refreshButton.setTooltip(new Tooltip("Refresh the selected node (F5)"));
        refreshButton.setOnAction(e -> refreshSelected());
        cancelButton.setGraphic(new FontIcon(Feather.X_CIRCLE));
        cancelButton.setTooltip(new Tooltip("Cancel loading (Esc)"));
        cancelButton.disableProperty().bind(vm.loadingProperty().not());
        cancelButton.setOnAction(e -> vm.cancelLoads());
        searchField.setOnAction(e -> search(searchField.getText()));
        searchField.setOnKeyPressed(e -> {
            if (e.getCode() == KeyCode.ESCAPE) {
                searchField.clear();
                hideSearch();
            }
        });
        searchField.setTooltip(new Tooltip("Find tables, views, partitions, functions and types by name in the selected database (Ctrl+F)"));
        searchResults.setCellFactory(l -> new ListCell<>() {
            @Override protected void updateItem(CatalogObject o, boolean empty) {
                super.updateItem(o, empty);
                setText(empty || o == null ? null : o.schema() + "." + o.displayName() + "  — " + o.kind().label()
                        + (o.isPartition() ? " (partition)" : ""));
                setGraphic(empty || o == null ? null : icon(o));
            }
        });
        searchResults.getSelectionModel().selectedItemProperty().addListener((obs, old, o) -> {
            if (o != null) showObject(searchDb, o);
        });
        root.sceneProperty().addListener((obs, old, scene) -> {
            if (scene != null) {
                scene.getAccelerators().put(new KeyCodeCombination(KeyCode.F, KeyCombination.SHORTCUT_DOWN), () -> {
                    if (root.isVisible() && root.getScene() != null) searchField.requestFocus();
                });
            }
        });
    }

    private void search(String text) {
        if (vm.sessionProperty().get() == null) return;
        if (text == null || text.isBlank()) {
            hideSearch();
            return;
        }
        String db = searchDb;
        treeStatus.setText("Searching…");
        vm.load("Search " + text, vm.searchJob(db, text), found -> {
            searchResults.getItems().setAll(found);
            searchResults.setVisible(true);
            searchResults.setManaged(true);
            treeStatus.setText(found.isEmpty() ? "No object name contains \"" + text + "\"" :
                    found.size() + (found.size() == 200 ? "+" : "") + " objects found in " + db);
        }, e -> treeStatus.setText("Search failed: " + ConsoleException.userMessage(e)), () -> treeStatus.setText("Search cancelled."));
    }

    private void hideSearch() {
        searchResults.setVisible(false);
        searchResults.setManaged(false);
    }

    // ---- tree ---------------------------------------------------------------------------------------------

    /** A tree item that loads its children the first time it is expanded. */
    final class LazyItem extends TreeItem<BrowseNode> {
        boolean loaded;
        BackgroundTask<?> task;
        long shown;

        LazyItem(BrowseNode node) {
            super(node);
            if (node.expandable() && !(node.type() == BrowseNode.Type.FOLDER && node.count() == 0)) {
                getChildren().add(new TreeItem<>(BrowseNode.loading()));
                expandedProperty().addListener((obs, was, is) -> {
                    if (is && !loaded) loadChildren(this);
                });
            }
        }

        @Override public boolean isLeaf() {
            BrowseNode n = getValue();
            return !n.expandable() || n.type() == BrowseNode.Type.FOLDER && n.count() == 0;
        }
    }

    private void setUpTree() {
        tree.setCellFactory(t -> new TreeCell<>() {
            // one icon node per cell, re-pointed at a glyph: no node creation or CSS pass while scrolling
            private final FontIcon icon = new FontIcon(Feather.FILE);
            private javafx.animation.RotateTransition spin;

            @Override protected void updateItem(BrowseNode n, boolean empty) {
                super.updateItem(n, empty);
                getStyleClass().removeAll("browse-loading", "browse-more");
                setOnMouseClicked(null);
                if (spin != null) {
                    spin.stop();
                    icon.setRotate(0);
                }
                if (empty || n == null) {
                    setText(null);
                    setGraphic(null);
                    return;
                }
                setText(n.toString());
                switch (n.type()) {
                    case LOADING -> {
                        icon.setIconCode(Feather.LOADER);
                        if (spin == null) {
                            spin = new javafx.animation.RotateTransition(javafx.util.Duration.seconds(1.2), icon);
                            spin.setByAngle(360);
                            spin.setCycleCount(javafx.animation.Animation.INDEFINITE);
                            spin.setInterpolator(javafx.animation.Interpolator.LINEAR);
                        }
                        spin.play();
                        getStyleClass().add("browse-loading");
                    }
                    case LOAD_MORE -> {
                        icon.setIconCode(Feather.MORE_HORIZONTAL);
                        getStyleClass().add("browse-more");
                        TreeItem<BrowseNode> item = getTreeItem();
                        setOnMouseClicked(e -> loadMore(item));
                    }
                    default -> icon.setIconCode(glyph(n));
                }
                setGraphic(icon);
            }
        });
        tree.setContextMenu(menu());
        tree.getSelectionModel().selectedItemProperty().addListener((obs, old, item) -> {
            if (item == null) return;
            BrowseNode n = item.getValue();
            if (n.database() != null) searchDb = n.database();
            if (n.type() == BrowseNode.Type.OBJECT) showObject(n.database(), n.object());
        });
        tree.setOnKeyPressed(e -> {
            TreeItem<BrowseNode> item = tree.getSelectionModel().getSelectedItem();
            if (e.getCode() == KeyCode.F5) {
                refreshSelected();
                e.consume();
            } else if (e.getCode() == KeyCode.ESCAPE) {
                vm.cancelLoads();
                e.consume();
            } else if (e.getCode() == KeyCode.ENTER && item != null && item.getValue().type() == BrowseNode.Type.LOAD_MORE) {
                loadMore(item);
                e.consume();
            } else if (new KeyCodeCombination(KeyCode.C, KeyCombination.SHORTCUT_DOWN).match(e) && item != null) {
                copyName(item.getValue());
                e.consume();
            }
        });
    }

    private ContextMenu menu() {
        MenuItem refresh = new MenuItem("Refresh (F5)");
        refresh.setOnAction(e -> refreshSelected());
        MenuItem cancel = new MenuItem("Cancel loading (Esc)");
        cancel.setOnAction(e -> vm.cancelLoads());
        MenuItem copy = new MenuItem("Copy name (Ctrl+C)");
        copy.setOnAction(e -> {
            TreeItem<BrowseNode> item = tree.getSelectionModel().getSelectedItem();
            if (item != null) copyName(item.getValue());
        });
        return new ContextMenu(refresh, cancel, copy);
    }

    private static void copyName(BrowseNode n) {
        String text = n.object() != null ? io.msyspg.console.core.common.Sql.qualified(n.object().schema(), n.object().name())
                : n.schema() != null && n.type() == BrowseNode.Type.SCHEMA ? io.msyspg.console.core.common.Sql.quoteIdent(n.schema()) : n.label();
        ClipboardContent c = new ClipboardContent();
        c.putString(text);
        Clipboard.getSystemClipboard().setContent(c);
    }

    private static Feather glyph(BrowseNode n) {
        return switch (n.type()) {
            case SERVER -> Feather.SERVER;
            case DATABASE -> Feather.DATABASE;
            case SCHEMA -> Feather.FOLDER;
            case FOLDER -> Feather.LIST;
            case OBJECT -> glyph(n.object());
            case LOADING -> Feather.LOADER;
            case LOAD_MORE -> Feather.MORE_HORIZONTAL;
            default -> Feather.ALERT_CIRCLE;
        };
    }

    private static Node icon(CatalogObject o) {
        return new FontIcon(glyph(o));
    }

    private static Feather glyph(CatalogObject o) {
        return (switch (o.kind()) {
            case TABLE, FOREIGN_TABLE -> Feather.GRID;
            case PARTITIONED_TABLE -> Feather.LAYERS;
            case VIEW, MATERIALIZED_VIEW -> Feather.COLUMNS;
            case SEQUENCE -> Feather.HASH;
            case FUNCTION, PROCEDURE, AGGREGATE -> Feather.CODE;
            case TYPE -> Feather.TYPE;
            case EXTENSION -> Feather.PACKAGE;
            default -> Feather.FILE;
        });
    }

    private void forEach(TreeItem<BrowseNode> item, java.util.function.Consumer<TreeItem<BrowseNode>> action) {
        for (TreeItem<BrowseNode> child : List.copyOf(item.getChildren())) forEach(child, action);
        action.accept(item);
    }

    /** Starts loading an item's children; the "Loading…" node stays until the result arrives. */
    void loadChildren(LazyItem item) {
        BrowseNode n = item.getValue();
        if (item.task != null) item.task.cancel(false);
        item.loaded = true;
        item.shown = 0;
        item.getChildren().setAll(new TreeItem<>(BrowseNode.loading()));
        switch (n.type()) {
            case SERVER -> run(item, "Loading databases", vm.databasesJob(), dbs -> {
                String current = vm.sessionProperty().get().target().database();
                List<LazyItem> items = dbs.stream().map(d -> new LazyItem(BrowseNode.database(d))).toList();
                item.getChildren().setAll(items);
                items.stream().filter(i -> i.getValue().database().equals(current)).findFirst().ifPresent(i -> i.setExpanded(true));
            });
            case DATABASE -> run(item, "Loading schemas of " + n.database(), vm.schemasJob(n.database()), (List<SchemaInfo> schemas) -> {
                if (schemas.isEmpty()) item.getChildren().setAll(new TreeItem<>(BrowseNode.message("No schemas")));
                else item.getChildren().setAll(schemas.stream().map(s -> (TreeItem<BrowseNode>) new LazyItem(BrowseNode.schema(n.database(), s.name()))).toList());
            });
            case SCHEMA -> run(item, "Counting objects in " + n.schema(), vm.countsJob(n.database(), n.schema()), (Map<Folder, Long> counts) ->
                    item.getChildren().setAll(counts.entrySet().stream()
                            .map(e -> (TreeItem<BrowseNode>) new LazyItem(BrowseNode.folder(n.database(), n.schema(), e.getKey(), e.getValue()))).toList()));
            case FOLDER -> run(item, "Loading " + n.folder().label().toLowerCase() + " of " + n.schema(),
                    vm.folderJob(n.database(), n.schema(), n.folder(), Page.PageKey.FIRST), p -> appendPage(item, p, n.count()));
            case OBJECT -> run(item, "Loading partitions of " + n.object().name(), vm.partitionsJob(n.database(), n.object().oid(), Page.PageKey.FIRST),
                    p -> appendPage(item, p, vm.filterText() == null ? n.count() : -1));
            default -> { }
        }
    }

    private <T> void run(LazyItem item, String title, Job<T> job, java.util.function.Consumer<T> onSuccess) {
        treeStatus.setText(title + "…");
        item.task = vm.load(title, job, r -> {
            item.task = null;
            onSuccess.accept(r);
            treeStatus.setText("");
        }, e -> {
            item.task = null;
            item.loaded = false;
            item.getChildren().setAll(new TreeItem<>(BrowseNode.message("Failed: " + ConsoleException.userMessage(e) + " (F5 retries)")));
            treeStatus.setText(title + " failed.");
        }, () -> {
            item.task = null;
            item.loaded = false;
            item.getChildren().setAll(new TreeItem<>(BrowseNode.message("Cancelled (F5 reloads)")));
            treeStatus.setText(title + ": cancelled.");
        });
    }

    private void appendPage(LazyItem item, Page p, long total) {
        item.getChildren().removeIf(c -> c.getValue().type() == BrowseNode.Type.LOADING || c.getValue().type() == BrowseNode.Type.LOAD_MORE
                || c.getValue().type() == BrowseNode.Type.MESSAGE);
        String db = item.getValue().database();
        List<TreeItem<BrowseNode>> add = new java.util.ArrayList<>(p.items().size() + 1);
        for (CatalogObject o : p.items()) add.add(new LazyItem(BrowseNode.object(db, o)));
        item.shown += p.items().size();
        if (p.hasMore()) add.add(new TreeItem<>(BrowseNode.loadMore(db, p.next(), item.shown, total)));
        if (item.shown == 0) add.add(new TreeItem<>(BrowseNode.message(vm.filterText() == null ? "Empty" : "Nothing matches the filter")));
        item.getChildren().addAll(add);
    }

    /** Replaces a "Load more" node by the next page. */
    void loadMore(TreeItem<BrowseNode> more) {
        if (!(more.getParent() instanceof LazyItem parent) || parent.task != null) return;
        BrowseNode m = more.getValue();
        BrowseNode pn = parent.getValue();
        int idx = parent.getChildren().indexOf(more);
        if (idx < 0) return;
        parent.getChildren().set(idx, new TreeItem<>(BrowseNode.loading()));
        Job<Page> job = pn.type() == BrowseNode.Type.FOLDER ? vm.folderJob(pn.database(), pn.schema(), pn.folder(), m.next())
                : vm.partitionsJob(pn.database(), pn.object().oid(), m.next());
        treeStatus.setText("Loading more…");
        parent.task = vm.load("Loading more of " + pn.label(), job, p -> {
            parent.task = null;
            appendPage(parent, p, m.count());
            treeStatus.setText("");
        }, e -> {
            parent.task = null;
            parent.getChildren().removeIf(c -> c.getValue().type() == BrowseNode.Type.LOADING);
            parent.getChildren().add(more);
            treeStatus.setText("Loading more failed: " + ConsoleException.userMessage(e));
        }, () -> {
            parent.task = null;
            parent.getChildren().removeIf(c -> c.getValue().type() == BrowseNode.Type.LOADING);
            parent.getChildren().add(more);
            treeStatus.setText("Cancelled.");
        });
    }

    private void refreshSelected() {
        TreeItem<BrowseNode> item = tree.getSelectionModel().getSelectedItem();
        if (item == null) item = tree.getRoot();
        if (item == null) return;
        BrowseNode n = item.getValue();
        if (n.type() == BrowseNode.Type.OBJECT && !n.object().hasPartitions() || n.type() == BrowseNode.Type.LOAD_MORE
                || n.type() == BrowseNode.Type.MESSAGE || n.type() == BrowseNode.Type.LOADING) {
            if (n.type() == BrowseNode.Type.OBJECT) {
                vm.select(null, null);
                showObject(n.database(), n.object());
            }
            item = item.getParent();
        }
        if (item != null) refresh(item);
    }

    /** Reloads one node (keeps it expanded when it was). */
    void refresh(TreeItem<BrowseNode> item) {
        if (!(item instanceof LazyItem li)) return;
        if (li.task != null) li.task.cancel(false);
        li.loaded = false;
        if (li.isExpanded()) loadChildren(li);
        else li.getChildren().setAll(new TreeItem<>(BrowseNode.loading()));
    }

    /** Re-runs every loaded folder and partition list with the new filter, and re-counts loaded schemas. */
    private void applyFilter() {
        TreeItem<BrowseNode> r = tree.getRoot();
        if (r == null) return;
        forEach(r, item -> {
            if (!(item instanceof LazyItem li) || !li.loaded) return;
            BrowseNode n = item.getValue();
            if (n.type() == BrowseNode.Type.SCHEMA) {
                vm.load("Counting objects in " + n.schema(), vm.countsJob(n.database(), n.schema()), counts -> {
                    for (TreeItem<BrowseNode> f : item.getChildren()) {
                        BrowseNode fn = f.getValue();
                        if (fn.type() == BrowseNode.Type.FOLDER && counts.containsKey(fn.folder())) {
                            f.setValue(BrowseNode.folder(fn.database(), fn.schema(), fn.folder(), counts.get(fn.folder())));
                        }
                    }
                }, e -> treeStatus.setText("Counting failed: " + ConsoleException.userMessage(e)), () -> { });
            } else if (n.type() == BrowseNode.Type.FOLDER || n.type() == BrowseNode.Type.OBJECT && n.object().hasPartitions()) {
                refresh(item);
            }
        });
    }

    // ---- details ------------------------------------------------------------------------------------------

    private void showObject(String db, CatalogObject o) {
        vm.select(db, o);
        if (dataTab.isSelected()) vm.openPreview();
    }

    private void setUpDetails() {
        col(propertiesTable, "Property", Map.Entry::getKey, 180);
        col(propertiesTable, "Value", Map.Entry::getValue, 520);
        col(columnsTable, "#", c -> Integer.toString(c.position()), 40);
        col(columnsTable, "Name", ObjectDetails.Column::name, 180);
        col(columnsTable, "Type", ObjectDetails.Column::type, 160);
        col(columnsTable, "Null", c -> c.notNull() ? "NOT NULL" : "", 80);
        col(columnsTable, "Default", c -> c.generated() != null ? "GENERATED (" + c.defaultExpr() + ")"
                : c.identity() != null ? "IDENTITY " + c.identity() : c.defaultExpr(), 200);
        col(columnsTable, "Comment", ObjectDetails.Column::comment, 240);
        col(indexesTable, "Name", ObjectDetails.Index::name, 200);
        col(indexesTable, "Size", i -> CatalogService.humanBytes(i.bytes()), 80);
        col(indexesTable, "Definition", i -> i.definition() + (i.valid() ? "" : "  (INVALID)"), 520);
        col(constraintsTable, "Name", ObjectDetails.Constraint::name, 200);
        col(constraintsTable, "Type", ObjectDetails.Constraint::type, 100);
        col(constraintsTable, "Definition", k -> k.definition() + (k.local() ? "" : "  (inherited)"), 480);
        col(triggersTable, "Name", ObjectDetails.Trigger::name, 180);
        col(triggersTable, "Enabled", t -> t.enabled() ? "yes" : "no", 70);
        col(triggersTable, "Definition", ObjectDetails.Trigger::definition, 520);
        col(privilegesTable, "Grantee", ObjectDetails.Privilege::grantee, 160);
        col(privilegesTable, "Privilege", ObjectDetails.Privilege::privilege, 120);
        col(privilegesTable, "Grantable", p -> p.grantable() ? "WITH GRANT OPTION" : "", 140);
        col(privilegesTable, "Grantor", ObjectDetails.Privilege::grantor, 160);
        for (TableView<?> t : List.of(propertiesTable, columnsTable, indexesTable, constraintsTable, triggersTable, privilegesTable)) {
            t.getSelectionModel().setCellSelectionEnabled(true);
            t.setOnKeyPressed(e -> {
                if (new KeyCodeCombination(KeyCode.C, KeyCombination.SHORTCUT_DOWN).match(e)) copySelectedCell(t);
            });
        }
        vm.detailsProperty().addListener((obs, old, d) -> showDetails(d));
        vm.detailsStatusProperty().addListener((obs, old, s) -> {
            if (vm.detailsProperty().get() == null) detailsTitle.setText(s == null || s.isEmpty() ? titleOf(vm.selectedProperty().get()) : s);
        });
        vm.selectedProperty().addListener((obs, old, o) -> detailsTitle.setText(titleOf(o)));
        dataTab.selectedProperty().addListener((obs, was, is) -> {
            if (is) vm.openPreview();
        });
    }

    private static String titleOf(CatalogObject o) {
        return o == null ? ViewLoader.bundle().getString("browse.details.none")
                : o.schema() + "." + o.displayName() + " — " + o.kind().label() + (o.isPartition() ? " (partition)" : "");
    }

    private void showDetails(ObjectDetails d) {
        if (d == null) {
            for (TableView<?> t : List.of(propertiesTable, columnsTable, indexesTable, constraintsTable, triggersTable, privilegesTable)) {
                t.getItems().clear();
            }
            ddlArea.clear();
            return;
        }
        propertiesTable.getItems().setAll(d.properties().entrySet());
        columnsTable.getItems().setAll(d.columns());
        indexesTable.getItems().setAll(d.indexes());
        constraintsTable.getItems().setAll(d.constraints());
        triggersTable.getItems().setAll(d.triggers());
        privilegesTable.getItems().setAll(d.privileges());
        StringBuilder ddl = new StringBuilder(d.ddl() == null ? "" : d.ddl());
        if (!d.ddlNotes().isEmpty()) {
            ddl.append("\n");
            for (String note : d.ddlNotes()) ddl.append("-- Note: ").append(note).append('\n');
        }
        ddlArea.setText(ddl.toString());
        detailsTitle.setText(titleOf(d.object()));
    }

    private static <S> void col(TableView<S> t, String title, Function<S, String> f, double width) {
        TableColumn<S, String> c = new TableColumn<>(title);
        c.setCellValueFactory(cd -> new ReadOnlyStringWrapper(f.apply(cd.getValue())));
        c.setPrefWidth(width);
        t.getColumns().add(c);
    }

    private static void copySelectedCell(TableView<?> t) {
        if (t.getSelectionModel().getSelectedCells().isEmpty()) return;
        TablePosition<?, ?> pos = t.getSelectionModel().getSelectedCells().get(0);
        Object v = pos.getTableColumn().getCellData(pos.getRow());
        ClipboardContent c = new ClipboardContent();
        c.putString(v == null ? "" : v.toString());
        Clipboard.getSystemClipboard().setContent(c);
    }

    // ---- data preview -------------------------------------------------------------------------------------

    private void setUpData() {
        dataTable.getSelectionModel().setCellSelectionEnabled(true);
        dataTable.setPlaceholder(new Label("Open the Data tab on a table or view to preview its rows."));
        vm.previewColumnsProperty().addListener((obs, old, cols) -> {
            dataTable.getColumns().clear();
            updatingOrderBy = true;
            String keep = orderBy.getValue();
            orderBy.getItems().setAll("(none)");
            for (int i = 0; i < cols.size(); i++) {
                DataPreview.Column c = cols.get(i);
                int idx = i;
                TableColumn<DataPreview.Row, String> tc = new TableColumn<>(c.name());
                tc.setSortable(false);
                tc.setUserData(idx);
                tc.setCellValueFactory(cd -> new ReadOnlyObjectWrapper<>(display(cd.getValue(), idx)));
                tc.setCellFactory(x -> new javafx.scene.control.TableCell<>() {
                    @Override protected void updateItem(String v, boolean empty) {
                        super.updateItem(v, empty);
                        getStyleClass().remove("browse-null");
                        if (empty) {
                            setText(null);
                        } else if (v == null) {
                            setText("NULL");
                            getStyleClass().add("browse-null");
                        } else {
                            setText(v);
                        }
                    }
                });
                tc.setPrefWidth(Math.max(80, Math.min(260, c.name().length() * 9 + 30)));
                Tooltip tip = new Tooltip(c.type() + (c.masked() ? " — masked: secrets are never fetched" : ""));
                Label header = new Label(c.name());
                header.setTooltip(tip);
                tc.setGraphic(header);
                tc.setText("");
                dataTable.getColumns().add(tc);
                orderBy.getItems().add(c.name());
            }
            orderBy.setValue(keep != null && orderBy.getItems().contains(keep) ? keep : "(none)");
            updatingOrderBy = false;
        });
        dataTable.setItems(vm.rows());
        dataStatus.textProperty().bind(vm.previewStatusProperty());
        loadMoreButton.setGraphic(new FontIcon(Feather.DOWNLOAD));
        loadMoreButton.setTooltip(new Tooltip("Fetch the next " + BrowseViewModel.FETCH_SIZE + " rows from the cursor (F8)"));
        loadMoreButton.disableProperty().bind(vm.previewExhaustedProperty().or(vm.previewBusyProperty()));
        loadMoreButton.setOnAction(e -> vm.loadMore());
        reloadDataButton.setGraphic(new FontIcon(Feather.REFRESH_CW));
        reloadDataButton.setTooltip(new Tooltip("Start a new read-only snapshot"));
        reloadDataButton.setOnAction(e -> {
            vm.closePreview("");
            vm.openPreview();
        });
        copyButton.setGraphic(new FontIcon(Feather.COPY));
        copyButton.setTooltip(new Tooltip("Copy the selected cell as fetched (Ctrl+C)"));
        copyButton.setOnAction(e -> copyDataCell());
        dataTable.setOnKeyPressed(e -> {
            if (new KeyCodeCombination(KeyCode.C, KeyCombination.SHORTCUT_DOWN).match(e)) copyDataCell();
            else if (e.getCode() == KeyCode.F8) vm.loadMore();
        });
        fullValueButton.setGraphic(new FontIcon(Feather.MAXIMIZE_2));
        fullValueButton.setTooltip(new Tooltip("Show the whole value of the selected cell below the grid"));
        fullValueButton.setOnAction(e -> showFullValue());
        exportButton.setGraphic(new FontIcon(Feather.FILE));
        exportButton.setTooltip(new Tooltip("Save the rows shown as CSV (masked and cut values as shown)"));
        exportButton.disableProperty().bind(javafx.beans.binding.Bindings.isEmpty(vm.rows()));
        exportButton.setOnAction(e -> exportCsv());
        orderBy.setId("browseOrderBy");
        orderBy.setTooltip(new Tooltip("Order on the server (a new cursor in the same snapshot)"));
        descending.setId("browseDescending");
        orderBy.setOnAction(e -> sortChanged());
        descending.setOnAction(e -> sortChanged());
        HBox bar = (HBox) loadMoreButton.getParent();
        bar.getChildren().add(1, new Label("Order by"));
        bar.getChildren().add(2, orderBy);
        bar.getChildren().add(3, descending);
        valueArea.setId("browseValue");
        valueArea.setEditable(false);
        valueArea.setPrefRowCount(4);
        valueArea.setWrapText(true);
        valueArea.setPromptText("Select a cell: its value shows here; Full value fetches a cut value completely.");
        ((BorderPane) dataTable.getParent()).setBottom(valueArea);
        dataTable.getSelectionModel().getSelectedCells().addListener((javafx.collections.ListChangeListener<TablePosition>) c -> {
            DataPreview.Row row = dataTable.getSelectionModel().getSelectedItem();
            int col = selectedDataColumn();
            if (row != null && col >= 0) {
                String v = row.values().get(col);
                valueArea.setText(v == null ? "NULL" : v + (row.truncated()[col] ? "\n… (cut at " + DataPreview.CELL_CHARS + " characters: Full value shows all)" : ""));
            }
        });
    }

    private void sortChanged() {
        if (updatingOrderBy) return;
        String v = orderBy.getValue();
        if (v == null || !vm.hasPreview() && vm.selectedProperty().get() == null) return;
        if ("(none)".equals(v)) {
            if (vm.hasPreview()) {
                vm.closePreview("");
                vm.openPreview();
            }
            return;
        }
        vm.sort(v, descending.isSelected());
    }

    static String display(DataPreview.Row row, int col) {
        String v = row.values().get(col);
        if (v == null) return null;
        String oneLine = v.length() > GRID_CHARS ? v.substring(0, GRID_CHARS) : v;
        oneLine = oneLine.replace('\n', '⏎').replace('\r', ' ');
        return v.length() > GRID_CHARS || row.truncated()[col] ? oneLine + "…" : oneLine;
    }

    private int selectedDataColumn() {
        if (dataTable.getSelectionModel().getSelectedCells().isEmpty()) return -1;
        TableColumn<?, ?> c = dataTable.getSelectionModel().getSelectedCells().get(0).getTableColumn();
        return c == null || c.getUserData() == null ? -1 : (Integer) c.getUserData();
    }

    private void copyDataCell() {
        DataPreview.Row row = dataTable.getSelectionModel().getSelectedItem();
        int col = selectedDataColumn();
        if (row == null || col < 0) return;
        String v = row.values().get(col);
        ClipboardContent c = new ClipboardContent();
        c.putString(v == null ? "" : v);
        Clipboard.getSystemClipboard().setContent(c);
    }

    private void showFullValue() {
        DataPreview.Row row = dataTable.getSelectionModel().getSelectedItem();
        int col = selectedDataColumn();
        if (row == null || col < 0) return;
        vm.fullValue(row, col, v -> valueArea.setText(v == null ? "NULL" : v));
    }

    private void exportCsv() {
        CatalogObject o = vm.selectedProperty().get();
        FileChooser fc = new FileChooser();
        fc.setTitle("Export the rows shown as CSV");
        fc.setInitialFileName((o == null ? "rows" : o.name()).replaceAll("[^\\p{L}\\p{N}._-]", "_") + ".csv");
        fc.getExtensionFilters().add(new FileChooser.ExtensionFilter("CSV", "*.csv"));
        File f = fc.showSaveDialog(root.getScene() == null ? null : root.getScene().getWindow());
        if (f == null) return;
        vm.exportCsv(f.toPath(), () -> ctx.dialogs().showInfo("Export finished", vm.rows().size() + " rows written to " + f));
    }

    // for tests
    TreeView<BrowseNode> tree() { return tree; }

    SplitPane split() { return null; }

    static boolean isKind(CatalogObject o, ObjectKind k) { return o.kind() == k; }
}
