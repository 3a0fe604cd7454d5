package io.msyspg.console.core.logs;

import java.util.Arrays;

/** A growable list of primitive ints (record numbers of filter matches). */
public final class IntList {
    private int[] a;
    private int n;

    public IntList() { this(1024); }

    public IntList(int capacity) { a = new int[Math.max(16, capacity)]; }

    public void add(int v) {
        if (n == a.length) a = Arrays.copyOf(a, a.length + (a.length >> 1));
        a[n++] = v;
    }

    public int get(int i) {
        if (i >= n) throw new IndexOutOfBoundsException(i + " >= " + n);
        return a[i];
    }

    public int size() { return n; }

    /** The position of the first element >= v (the list is ascending). */
    public int lowerBound(int v) {
        int lo = 0, hi = n;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (a[mid] < v) lo = mid + 1; else hi = mid;
        }
        return lo;
    }

    public int[] toArray() { return Arrays.copyOf(a, n); }
}
