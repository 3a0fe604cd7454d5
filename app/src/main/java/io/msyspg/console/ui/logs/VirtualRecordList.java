package io.msyspg.console.ui.logs;

import io.msyspg.console.core.logs.IntList;
import javafx.collections.ObservableListBase;

import java.util.AbstractList;
import java.util.List;

/**
 * The ListView's items without boxing millions of record numbers: position k is record k (no filter) or the
 * k-th match of the filter. FX thread only.
 */
final class VirtualRecordList extends ObservableListBase<Integer> {
    private int size;
    private IntList matches;     // null: no filter

    @Override public Integer get(int k) {
        if (k < 0 || k >= size) throw new IndexOutOfBoundsException(k);
        return matches == null ? k : matches.get(k);
    }

    @Override public int size() { return size; }

    boolean filtered() { return matches != null; }

    IntList matches() { return matches; }

    /** Grows to {@code newSize} (records appended by follow, or matches appended to the list). */
    void grow(int newSize) {
        if (newSize <= size) return;
        int old = size;
        beginChange();
        size = newSize;
        nextAdd(old, newSize);
        endChange();
    }

    /** Replaces everything: no filter ({@code m == null}, {@code n} records) or the matches {@code m}. */
    void reset(IntList m, int n) {
        int old = size;
        beginChange();
        if (old > 0) nextRemove(0, placeholder(old));
        matches = m;
        size = m == null ? n : m.size();
        if (size > 0) nextAdd(0, size);
        endChange();
    }

    /** Position of the first element that is record {@code rec} or after it. */
    int positionOf(int rec) {
        if (matches == null) return Math.min(rec, size);
        return matches.lowerBound(rec);
    }

    private static List<Integer> placeholder(int n) {
        return new AbstractList<>() {
            @Override public Integer get(int i) { return i; }
            @Override public int size() { return n; }
        };
    }
}
