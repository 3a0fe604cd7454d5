package io.msyspg.console.core.common;

/** The console's own version, from the jar manifest (or "development" when run from classes). */
public final class BuildInfo {
    private BuildInfo() {}

    public static String version() {
        String v = BuildInfo.class.getPackage().getImplementationVersion();
        return v != null ? v : "development";
    }

    /** The JavaFX version on the class path, read without starting the toolkit ("not found" when absent). */
    public static String javafxVersion() {
        try (var in = ClassLoader.getSystemResourceAsStream("javafx.properties")) {
            if (in == null) return "not found";
            var p = new java.util.Properties();
            p.load(in);
            return p.getProperty("javafx.runtime.version", "unknown");
        } catch (java.io.IOException e) {
            return "unreadable (" + e.getMessage() + ")";
        }
    }
}
