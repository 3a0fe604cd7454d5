package io.msyspg.console.core.browse;

import java.util.List;

/**
 * One page of a folder or partition list, ordered by name then oid. {@code next} is the keyset to ask for the
 * following page (null when this was the last page).
 */
public record Page(List<CatalogObject> items, PageKey next) {
    public boolean hasMore() { return next != null; }

    /** Keyset position: the last (name, oid) seen. {@link #FIRST} starts from the beginning. */
    public record PageKey(String name, long oid) {
        public static final PageKey FIRST = new PageKey("", 0);
    }
}
