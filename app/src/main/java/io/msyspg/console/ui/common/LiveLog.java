package io.msyspg.console.ui.common;

import javafx.application.Platform;
import javafx.scene.control.ListView;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** The live tool output: a virtualised list that keeps the last lines and follows the end. */
public final class LiveLog {
    public static final int MAX_LINES = 5000;

    private LiveLog() {}

    /**
     * A sink for lines from any thread (a tool's output reader, a job): they are appended on the FX thread in
     * batches, one {@code runLater} per batch however fast the lines come.
     */
    public static Consumer<String> sink(ListView<String> log) {
        List<String> pending = new ArrayList<>();
        return line -> {
            synchronized (pending) {
                boolean schedule = pending.isEmpty();
                pending.add(line);
                if (schedule) Platform.runLater(() -> {
                    synchronized (pending) {
                        append(log, pending);
                        pending.clear();
                    }
                });
            }
        };
    }

    public static void append(ListView<String> log, List<String> lines) {
        var items = log.getItems();
        items.addAll(lines);
        if (items.size() > MAX_LINES) items.remove(0, items.size() - MAX_LINES);
        log.scrollTo(items.size() - 1);
    }
}
