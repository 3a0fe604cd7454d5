package io.msyspg.console.core.common;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where the console keeps its files, following the XDG base directory convention:
 * settings and profiles under {@code ~/.config/msyspg-console}, logs, history, journals and the demo
 * sandbox under {@code ~/.local/state/msyspg-console}, unpacked binaries under {@code ~/.cache/msyspg-console}.
 *
 * <p>{@code MSYSPG_CONSOLE_HOME} (environment) or {@code msyspg.home} (system property) puts all three under
 * one folder, which is what tests and portable installs use.
 */
public final class AppDirs {
    public static final String APP = "msyspg-console";

    private final Path config;
    private final Path state;
    private final Path cache;

    public AppDirs(Path config, Path state, Path cache) {
        this.config = config;
        this.state = state;
        this.cache = cache;
    }

    /** The directories for this process, from the environment and system properties. */
    public static AppDirs fromEnvironment() {
        return from(System.getenv(), System.getProperty("msyspg.home"), Path.of(System.getProperty("user.home")));
    }

    static AppDirs from(Map<String, String> env, String homeProperty, Path userHome) {
        String single = homeProperty != null && !homeProperty.isBlank() ? homeProperty : env.get("MSYSPG_CONSOLE_HOME");
        if (single != null && !single.isBlank()) {
            Path base = Path.of(single).toAbsolutePath();
            return new AppDirs(base.resolve("config"), base.resolve("state"), base.resolve("cache"));
        }
        return new AppDirs(
                xdg(env, "XDG_CONFIG_HOME", userHome.resolve(".config")).resolve(APP),
                xdg(env, "XDG_STATE_HOME", userHome.resolve(".local/state")).resolve(APP),
                xdg(env, "XDG_CACHE_HOME", userHome.resolve(".cache")).resolve(APP));
    }

    private static Path xdg(Map<String, String> env, String name, Path fallback) {
        String v = env.get(name);
        // the spec says relative values are invalid and must be ignored
        return v != null && !v.isBlank() && Path.of(v).isAbsolute() ? Path.of(v) : fallback;
    }

    public Path config() { return config; }
    public Path state() { return state; }
    public Path cache() { return cache; }
    public Path logs() { return state.resolve("logs"); }

    /** Creates {@code dir} (owner-only permissions where the file system supports them) and returns it. */
    public static Path ensure(Path dir) {
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir);
                FilePermissions.ownerOnly(dir);
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create directory " + dir + ": " + e.getMessage(), e);
        }
    }
}
