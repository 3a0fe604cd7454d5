package io.msyspg.console.ui.common;

import io.msyspg.console.core.common.ConsoleException;
import javafx.application.Platform;
import javafx.beans.binding.Bindings;
import javafx.scene.control.Alert;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.PasswordField;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.layout.VBox;
import javafx.stage.Window;

import java.util.Optional;
import java.util.function.Supplier;

/** {@link DialogService} with JavaFX alerts, owned by the main window. */
public final class FxDialogService implements DialogService {
    private final Supplier<Window> owner;

    public FxDialogService(Supplier<Window> owner) {
        this.owner = owner;
    }

    @Override public void showError(String title, Throwable error) {
        showError(title, ConsoleException.userMessage(error), ConsoleException.causeChain(error));
    }

    @Override public void showError(String title, String message, String details) {
        onFx(() -> {
            Alert a = alert(Alert.AlertType.ERROR, title, message);
            if (details != null && !details.isBlank()) {
                TextArea area = new TextArea(details + "\n\nThe console's log file has the full record.");
                area.setEditable(false);
                area.setWrapText(true);
                area.setPrefRowCount(8);
                a.getDialogPane().setExpandableContent(area);
            }
            a.show();
        });
    }

    @Override public void showInfo(String title, String message) {
        onFx(() -> alert(Alert.AlertType.INFORMATION, title, message).show());
    }

    @Override public boolean confirm(String title, String message, String confirmLabel) {
        Alert a = alert(Alert.AlertType.CONFIRMATION, title, message);
        ButtonType ok = new ButtonType(confirmLabel, ButtonBar.ButtonData.OK_DONE);
        a.getButtonTypes().setAll(ok, ButtonType.CANCEL);
        return a.showAndWait().filter(ok::equals).isPresent();
    }

    @Override public boolean confirmByTyping(String title, String message, String expected) {
        Dialog<ButtonType> d = new Dialog<>();
        d.initOwner(owner.get());
        d.setTitle(title);
        d.setHeaderText(title);
        TextField field = new TextField();
        field.setId("confirmTypingField");
        field.setPromptText(expected);
        d.getDialogPane().setContent(new VBox(8, new Label(message), new Label("Type \"" + expected + "\" to confirm:"), field));
        ButtonType ok = new ButtonType("Confirm", ButtonBar.ButtonData.OK_DONE);
        d.getDialogPane().getButtonTypes().setAll(ok, ButtonType.CANCEL);
        d.getDialogPane().lookupButton(ok).disableProperty().bind(Bindings.notEqual(field.textProperty(), expected));
        return d.showAndWait().filter(ok::equals).isPresent() && expected.equals(field.getText());
    }

    @Override public Optional<char[]> askPassword(String title, String message) {
        Dialog<ButtonType> d = new Dialog<>();
        d.initOwner(owner.get());
        d.setTitle(title);
        d.setHeaderText(message);
        PasswordField field = new PasswordField();
        field.setId("passwordPromptField");
        d.getDialogPane().setContent(field);
        d.getDialogPane().getButtonTypes().setAll(ButtonType.OK, ButtonType.CANCEL);
        Platform.runLater(field::requestFocus);
        Optional<char[]> result = d.showAndWait().filter(ButtonType.OK::equals).map(b -> field.getText().toCharArray());
        field.clear();
        return result;
    }

    private Alert alert(Alert.AlertType type, String title, String message) {
        Alert a = new Alert(type);
        Window w = owner.get();
        if (w != null) a.initOwner(w);
        a.setTitle(title);
        a.setHeaderText(title);
        a.setContentText(message);
        a.getDialogPane().setMinWidth(480);
        return a;
    }

    private static void onFx(Runnable r) {
        if (Platform.isFxApplicationThread()) r.run();
        else Platform.runLater(r);
    }
}
