package io.msyspg.console.core.backup;

/**
 * One error of a restore, with the TOC entry it came from ({@code from TOC entry …} with {@code -v}), the statement,
 * and whether it is one of the well-known harmless kinds ({@code expectedReason} says why) or a real problem.
 */
public record RestoreError(String tocLine, TocEntry entry, String message, String command, boolean expected, String expectedReason) {
    public String object() {
        return entry == null ? "(no TOC entry)" : entry.desc() + " " + entry.object();
    }

    @Override public String toString() {
        return (expected ? "[expected] " : "[ERROR] ") + object() + ": " + message + (expected ? " (" + expectedReason + ")" : "");
    }
}
