package io.msyspg.console.ui.common;

import javafx.scene.control.ListView;

import java.util.List;

/** The live tool output: a virtualised list that keeps the last lines and follows the end. */
public final class LiveLog {
    public static final int MAX_LINES = 5000;

    private LiveLog() {}

    public static void append(ListView<String> log, List<String> lines) {
        var items = log.getItems();
        items.addAll(lines);
        if (items.size() > MAX_LINES) items.remove(0, items.size() - MAX_LINES);
        log.scrollTo(items.size() - 1);
    }
}
