package io.msyspg.console.core.backup;

/** One pre-check, with the numbers it was judged on in {@code message}. BLOCK stops the job before it starts. */
public record Check(String name, Level level, String message) {
    public enum Level { OK, WARN, BLOCK }

    public static Check ok(String name, String message) { return new Check(name, Level.OK, message); }
    public static Check warn(String name, String message) { return new Check(name, Level.WARN, message); }
    public static Check block(String name, String message) { return new Check(name, Level.BLOCK, message); }

    public boolean blocks() { return level == Level.BLOCK; }

    @Override public String toString() { return "[" + level + "] " + name + ": " + message; }
}
