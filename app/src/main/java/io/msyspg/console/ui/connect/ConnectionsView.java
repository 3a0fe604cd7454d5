package io.msyspg.console.ui.connect;

import io.msyspg.console.core.connect.ConnectionProfile;
import io.msyspg.console.core.connect.ConnectionProfile.PasswordStorage;
import io.msyspg.console.core.connect.EcdbIni;
import io.msyspg.console.ui.AppContext;
import io.msyspg.console.ui.common.EmptyState;
import io.msyspg.console.ui.common.ViewLoader;
import io.msyspg.console.ui.shell.FeatureView;
import javafx.beans.binding.Bindings;
import javafx.collections.ListChangeListener;
import javafx.fxml.FXML;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.PasswordField;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.stage.FileChooser;
import javafx.util.StringConverter;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

import java.io.File;
import java.nio.file.Path;

/**
 * The Connections screen: saved profiles on the left, the editor on the right (Save, Test, Connect, Cancel),
 * the ecdb.ini import with a review step, and, when there is no profile yet, an empty state that offers a
 * new profile, the import, or the demo server in one click. Passwords only pass through the
 * {@link PasswordField} (cleared after use) or the dialog service.
 */
public final class ConnectionsView implements FeatureView {
    @FXML private StackPane root;
    @FXML private BorderPane mainPane;
    @FXML private Button newButton, duplicateButton, deleteButton, importButton, demoButton, disconnectButton;
    @FXML private ListView<ConnectionProfile> profileList;
    @FXML private VBox importPane;
    @FXML private TextField ecdbPath;
    @FXML private Button ecdbBrowse, ecdbRead, ecdbSave, ecdbCancel;
    @FXML private TextArea ecdbReview;
    @FXML private TextField nameField, hostField, portField, databaseField, userField, sslRootCertField, appNameField,
            dataDirField, serviceField, toolsField;
    @FXML private PasswordField passwordField;
    @FXML private ChoiceBox<PasswordStorage> storageChoice;
    @FXML private ChoiceBox<String> sslModeChoice;
    @FXML private Label keyringNote, statusLabel;
    @FXML private Button saveButton, testButton, connectButton, cancelButton;

    private final AppContext ctx;
    private final ConnectionsViewModel vm;
    private Node emptyState;

    public ConnectionsView(AppContext ctx) {
        this(ctx, new ConnectionsViewModel(ctx));
    }

    public ConnectionsView(AppContext ctx, ConnectionsViewModel vm) {
        this.ctx = ctx;
        this.vm = vm;
        ViewLoader.load(this);
    }

    public ConnectionsViewModel viewModel() { return vm; }

    @FXML private void initialize() {
        profileList.setItems(vm.profiles());
        profileList.setCellFactory(lv -> new ListCell<>() {
            @Override protected void updateItem(ConnectionProfile p, boolean empty) {
                super.updateItem(p, empty);
                setText(empty || p == null ? null : p.name + "\n" + p.user + "@" + p.host + ":" + p.port + "/" + p.database);
            }
        });
        profileList.getSelectionModel().selectedItemProperty().addListener((o, old, p) -> {
            if (p != null) vm.selectedProperty().set(p);
        });
        vm.selectedProperty().addListener((o, old, p) -> {
            if (p == null) profileList.getSelectionModel().clearSelection();
            else if (profileList.getSelectionModel().getSelectedItem() != p) profileList.getSelectionModel().select(p);
            passwordField.clear();
        });

        nameField.textProperty().bindBidirectional(vm.name);
        hostField.textProperty().bindBidirectional(vm.host);
        portField.textProperty().bindBidirectional(vm.port);
        databaseField.textProperty().bindBidirectional(vm.database);
        userField.textProperty().bindBidirectional(vm.user);
        sslRootCertField.textProperty().bindBidirectional(vm.sslRootCert);
        appNameField.textProperty().bindBidirectional(vm.applicationName);
        dataDirField.textProperty().bindBidirectional(vm.dataDir);
        serviceField.textProperty().bindBidirectional(vm.serviceCommand);
        toolsField.textProperty().bindBidirectional(vm.toolsDir);
        sslModeChoice.getItems().setAll("disable", "allow", "prefer", "require", "verify-ca", "verify-full");
        sslModeChoice.valueProperty().bindBidirectional(vm.sslMode);
        storageChoice.setItems(vm.storages());
        storageChoice.setConverter(new StringConverter<>() {
            @Override public String toString(PasswordStorage s) {
                if (s == null) return "";
                return switch (s) {
                    case ASK -> "Ask every time (not stored)";
                    case KEYRING -> "OS keyring";
                    case ENCRYPTED_FILE -> "Encrypted file (master password)";
                    case NONE -> "No password (trust, ~/.pgpass, PGPASSWORD)";
                };
            }

            @Override public PasswordStorage fromString(String s) { return null; }
        });
        storageChoice.valueProperty().bindBidirectional(vm.passwordStorage);
        keyringNote.textProperty().bind(vm.keyringNote);
        keyringNote.managedProperty().bind(keyringNote.textProperty().isNotEmpty());
        statusLabel.textProperty().bind(vm.status);
        portField.setPromptText("5432");
        hostField.setPromptText("localhost, db.example.com or /var/run/postgresql");
        databaseField.setPromptText("ecelerity (empty: the user name)");

        icon(newButton, Feather.PLUS, "New profile  (Ctrl+N)");
        icon(duplicateButton, Feather.COPY, "Duplicate the selected profile");
        icon(deleteButton, Feather.TRASH_2, "Delete the selected profile and its stored password");
        icon(importButton, Feather.DOWNLOAD, "Import Momentum's ecdb.ini");
        icon(demoButton, Feather.PLAY, "Start the demo server and connect to it");
        icon(disconnectButton, Feather.X_CIRCLE, "Close the current connection");
        icon(saveButton, Feather.SAVE, "Save the profile  (Ctrl+S)");
        icon(testButton, Feather.CHECK_CIRCLE, "Connect once and report  (Ctrl+T)");
        icon(connectButton, Feather.LOG_IN, "Connect the console to this database  (Ctrl+Enter)");
        icon(cancelButton, Feather.SLASH, "Stop connecting  (Esc)");

        duplicateButton.disableProperty().bind(vm.selectedProperty().isNull());
        deleteButton.disableProperty().bind(vm.selectedProperty().isNull());
        disconnectButton.disableProperty().bind(ctx.session().currentProperty().isNull());
        saveButton.disableProperty().bind(vm.busy);
        testButton.disableProperty().bind(vm.busy);
        connectButton.disableProperty().bind(vm.busy);
        demoButton.disableProperty().bind(vm.busy);
        cancelButton.disableProperty().bind(vm.busy.not());

        newButton.setOnAction(e -> vm.newProfile());
        duplicateButton.setOnAction(e -> vm.duplicate());
        deleteButton.setOnAction(e -> vm.delete());
        demoButton.setOnAction(e -> vm.startDemo());
        disconnectButton.setOnAction(e -> vm.disconnect());
        saveButton.setOnAction(e -> save());
        testButton.setOnAction(e -> connect(true));
        connectButton.setOnAction(e -> connect(false));
        cancelButton.setOnAction(e -> vm.cancel());

        importPane.setVisible(false);
        importPane.managedProperty().bind(importPane.visibleProperty());
        importButton.setOnAction(e -> importPane.setVisible(!importPane.isVisible()));
        ecdbPath.setText(EcdbIni.DEFAULT_FILE.toString());
        ecdbReview.textProperty().bind(vm.importReview);
        ecdbReview.visibleProperty().bind(vm.importReview.isNotEmpty());
        ecdbReview.managedProperty().bind(ecdbReview.visibleProperty());
        ecdbSave.disableProperty().bind(vm.importPending.not());
        ecdbRead.setOnAction(e -> vm.readEcdb(Path.of(ecdbPath.getText().trim())));
        ecdbSave.setOnAction(e -> vm.saveImport());
        ecdbCancel.setOnAction(e -> {
            vm.cancelImport();
            importPane.setVisible(false);
        });
        ecdbBrowse.setOnAction(e -> {
            FileChooser fc = new FileChooser();
            fc.setTitle("Momentum's ecdb.ini");
            File start = new File(ecdbPath.getText()).getParentFile();
            if (start != null && start.isDirectory()) fc.setInitialDirectory(start);
            File f = fc.showOpenDialog(root.getScene() == null ? null : root.getScene().getWindow());
            if (f != null) ecdbPath.setText(f.getPath());
        });

        Button emptyNew = new Button("New profile", new FontIcon(Feather.PLUS));
        emptyNew.setId("emptyNewProfile");
        emptyNew.setOnAction(e -> {
            vm.newProfile();
            showEmpty(false);
        });
        Button emptyImport = new Button("Import ecdb.ini", new FontIcon(Feather.DOWNLOAD));
        emptyImport.setId("emptyImport");
        emptyImport.setOnAction(e -> {
            showEmpty(false);
            importPane.setVisible(true);
        });
        Button emptyDemo = new Button("Start demo server", new FontIcon(Feather.PLAY));
        emptyDemo.setId("emptyStartDemo");
        emptyDemo.getStyleClass().add("accent");
        emptyDemo.disableProperty().bind(vm.busy);
        emptyDemo.setOnAction(e -> vm.startDemo());
        javafx.scene.layout.HBox actions = new javafx.scene.layout.HBox(8, emptyDemo, emptyNew, emptyImport);
        actions.setAlignment(javafx.geometry.Pos.CENTER);
        emptyState = EmptyState.of(Feather.LINK, ViewLoader.bundle().getString("connect.empty.title"),
                ViewLoader.bundle().getString("connect.empty.hint"), actions);
        emptyState.setId("connectionsEmpty");
        root.getChildren().add(emptyState);
        showEmpty(vm.profiles().isEmpty());
        vm.profiles().addListener((ListChangeListener<ConnectionProfile>) c -> {
            if (!vm.profiles().isEmpty()) showEmpty(false);
        });

        root.sceneProperty().addListener((o, old, scene) -> {
            if (scene == null) return;
            scene.getAccelerators().put(new KeyCodeCombination(KeyCode.N, KeyCombination.SHORTCUT_DOWN), () -> { if (root.isVisible()) vm.newProfile(); });
            scene.getAccelerators().put(new KeyCodeCombination(KeyCode.S, KeyCombination.SHORTCUT_DOWN), () -> { if (shown()) save(); });
            scene.getAccelerators().put(new KeyCodeCombination(KeyCode.T, KeyCombination.SHORTCUT_DOWN), () -> { if (shown()) connect(true); });
            scene.getAccelerators().put(new KeyCodeCombination(KeyCode.ENTER, KeyCombination.SHORTCUT_DOWN), () -> { if (shown()) connect(false); });
        });
        root.setOnKeyPressed(e -> { if (e.getCode() == KeyCode.ESCAPE) vm.cancel(); });

        if (vm.profiles().isEmpty()) vm.newProfile();
        else vm.selectedProperty().set(vm.profiles().get(0));
        vm.probeKeyring();
    }

    private boolean shown() {
        return root.getScene() != null && root.getParent() != null && !vm.busy.get();
    }

    private void showEmpty(boolean empty) {
        emptyState.setVisible(empty);
        mainPane.setVisible(!empty);
    }

    private void save() {
        char[] pw = passwordField.getText().toCharArray();
        passwordField.clear();
        vm.save(pw, null);
    }

    private void connect(boolean test) {
        char[] pw = passwordField.getText().toCharArray();
        passwordField.clear();
        vm.connect(pw, test);
    }

    /** Starts the demo (the {@code --demo} start-up option). */
    public void startDemo() {
        vm.startDemo();
    }

    private static void icon(Button b, Feather f, String tip) {
        b.setGraphic(new FontIcon(f));
        b.setTooltip(new Tooltip(tip));
    }

    @Override public Node root() { return root; }
}
