package io.msyspg.console.ui.backup;

import javafx.scene.control.ListView;

import java.util.List;

/** The live tool output: a virtualised list that keeps the last lines and follows the end. */
final class LiveLog {
    static final int MAX_LINES = 5000;

    private LiveLog() {}

    static void append(ListView<String> log, List<String> lines) {
        var items = log.getItems();
        items.addAll(lines);
        if (items.size() > MAX_LINES) items.remove(0, items.size() - MAX_LINES);
        log.scrollTo(items.size() - 1);
    }
}
