package io.msyspg.console.ui.browse;

import io.msyspg.console.core.browse.CatalogObject;
import io.msyspg.console.core.browse.Folder;
import io.msyspg.console.core.browse.Page;

/** What a tree item stands for. Immutable; the tree item holds the loading state. */
public record BrowseNode(Type type, String label, String database, String schema, Folder folder, CatalogObject object,
                         Page.PageKey next, long count) {
    public enum Type { SERVER, DATABASE, SCHEMA, FOLDER, OBJECT, LOAD_MORE, LOADING, MESSAGE }

    static BrowseNode server(String label) { return new BrowseNode(Type.SERVER, label, null, null, null, null, null, -1); }

    static BrowseNode database(String db) { return new BrowseNode(Type.DATABASE, db, db, null, null, null, null, -1); }

    static BrowseNode schema(String db, String schema) { return new BrowseNode(Type.SCHEMA, schema, db, schema, null, null, null, -1); }

    static BrowseNode folder(String db, String schema, Folder f, long count) {
        return new BrowseNode(Type.FOLDER, f.label(), db, schema, f, null, null, count);
    }

    static BrowseNode object(String db, CatalogObject o) {
        return new BrowseNode(Type.OBJECT, o.displayName(), db, o.schema(), null, o, null, o.partitionCount());
    }

    static BrowseNode loadMore(String db, Page.PageKey next, long shown, long total) {
        String text = total >= 0 ? "Load more… (" + grouped(shown) + " of " + grouped(total) + " shown)" : "Load more… (" + grouped(shown) + " shown)";
        return new BrowseNode(Type.LOAD_MORE, text, db, null, null, null, next, total);
    }

    static BrowseNode loading() { return new BrowseNode(Type.LOADING, "Loading… (Esc to cancel)", null, null, null, null, null, -1); }

    static BrowseNode message(String text) { return new BrowseNode(Type.MESSAGE, text, null, null, null, null, null, -1); }

    /** Expanding it loads children. */
    public boolean expandable() {
        return switch (type) {
            case SERVER, DATABASE, SCHEMA, FOLDER -> true;
            case OBJECT -> object.hasPartitions();
            default -> false;
        };
    }

    /** 20440 → "20,440" without java.text (cells call this while scrolling). */
    static String grouped(long n) {
        String digits = Long.toString(Math.abs(n));
        StringBuilder sb = new StringBuilder(digits.length() + digits.length() / 3 + 1);
        int lead = digits.length() % 3 == 0 ? 3 : digits.length() % 3;
        sb.append(digits, 0, lead);
        for (int i = lead; i < digits.length(); i += 3) sb.append(',').append(digits, i, i + 3);
        return n < 0 ? "-" + sb : sb.toString();
    }

    @Override public String toString() {
        if (type == Type.FOLDER || type == Type.OBJECT && object.hasPartitions()) {
            return count >= 0 ? label + " (" + grouped(count) + ")" : label;
        }
        return label;
    }
}
