package io.msyspg.console.core.settings;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.msyspg.console.core.common.AppDirs;
import io.msyspg.console.core.common.ConsoleException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The one place for settings: a JSON document ({@code settings.json} in the config directory) made of named
 * sections, each bound to a plain Java class of the feature that owns it:
 *
 * <pre>{@code
 *   WindowSettings w = store.get(WindowSettings.class);   // defaults when absent
 *   w.width = 1200;
 *   store.put(w);                                          // written atomically, owner-only permissions
 * }</pre>
 *
 * A section's key is the class's {@link Section} annotation or its simple name. A file that cannot be read
 * as JSON is moved aside to {@code settings.json.corrupt-<time>}, reported in {@link #problems()} and
 * replaced by defaults: the console starts, and the admin's file is kept for inspection.
 * Secrets are never stored here (see the connect feature's secret store).
 */
public final class SettingsStore {
    private static final Logger log = LoggerFactory.getLogger(SettingsStore.class);

    /** Names a section in the settings document. */
    @java.lang.annotation.Retention(java.lang.annotation.RetentionPolicy.RUNTIME)
    @java.lang.annotation.Target(java.lang.annotation.ElementType.TYPE)
    public @interface Section {
        String value();
    }

    private final Path file;
    private final ObjectMapper mapper;
    private final List<String> problems = new ArrayList<>();
    private final Map<String, Object> cache = new ConcurrentHashMap<>();
    private ObjectNode root;

    public SettingsStore(Path file) {
        this.file = file;
        this.mapper = mapper();
        this.root = load();
    }

    public static SettingsStore open(AppDirs dirs) {
        return new SettingsStore(dirs.config().resolve("settings.json"));
    }

    /** The JSON mapper used for every file the console writes (settings, profiles, history, journals). */
    public static ObjectMapper mapper() {
        return new ObjectMapper()
                .registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .enable(SerializationFeature.INDENT_OUTPUT)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }

    public Path file() { return file; }

    /** Problems found while loading (a corrupt file that was set aside), for the UI to report once. */
    public synchronized List<String> problems() { return List.copyOf(problems); }

    private ObjectNode load() {
        if (!Files.exists(file)) return mapper.createObjectNode();
        try {
            var node = mapper.readTree(file.toFile());
            if (node instanceof ObjectNode o) return o;
            throw new IOException("the top level is not a JSON object");
        } catch (IOException e) {
            Path aside = file.resolveSibling(file.getFileName() + ".corrupt-"
                    + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
            String reason = e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse("");
            try {
                Files.move(file, aside, StandardCopyOption.REPLACE_EXISTING);
                problems.add("Settings file " + file + " could not be read (" + reason + "). It was moved to "
                        + aside + " and defaults are used.");
            } catch (IOException moveFailed) {
                problems.add("Settings file " + file + " could not be read (" + reason + ") nor moved aside ("
                        + moveFailed.getMessage() + "). Defaults are used and it will not be overwritten.");
                readOnly = true;
            }
            log.warn("{}", problems.get(problems.size() - 1));
            return mapper.createObjectNode();
        }
    }

    private boolean readOnly;

    public static String sectionName(Class<?> type) {
        Section s = type.getAnnotation(Section.class);
        return s != null ? s.value() : type.getSimpleName();
    }

    /** The section bound to {@code type}: the stored values, or a new instance with defaults. */
    @SuppressWarnings("unchecked")
    public synchronized <T> T get(Class<T> type) {
        String key = sectionName(type);
        Object cached = cache.get(key);
        if (type.isInstance(cached)) return (T) cached;
        T value;
        try {
            var node = root.get(key);
            value = node == null ? type.getDeclaredConstructor().newInstance() : mapper.treeToValue(node, type);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(type + " needs a public no-argument constructor", e);
        } catch (IOException e) {
            problems.add("Settings section '" + key + "' in " + file + " is invalid (" + e.getMessage().lines().findFirst().orElse("")
                    + "); defaults are used for it.");
            try {
                value = type.getDeclaredConstructor().newInstance();
            } catch (ReflectiveOperationException ex) {
                throw new IllegalStateException(ex);
            }
        }
        cache.put(key, value);
        return value;
    }

    /** Stores a section and writes the file (atomically: temp file, then rename). */
    public synchronized void put(Object section) {
        String key = sectionName(section.getClass());
        cache.put(key, section);
        root.set(key, mapper.valueToTree(section));
        save();
    }

    private void save() {
        if (readOnly) return;
        try {
            io.msyspg.console.core.common.JsonFiles.writeAtomically(mapper, file, root);
        } catch (IOException e) {
            throw new ConsoleException("Could not write settings to " + file + ": " + e.getMessage(), e);
        }
    }
}
