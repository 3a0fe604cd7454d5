package io.msyspg.console.core.browse;

/** The folders under a schema, in display order. Each is loaded by one catalog query per page. */
public enum Folder {
    TABLES("Tables"),
    VIEWS("Views"),
    MATERIALIZED_VIEWS("Materialized views"),
    SEQUENCES("Sequences"),
    FUNCTIONS("Functions & procedures"),
    TYPES("Types"),
    EXTENSIONS("Extensions"),
    FOREIGN_TABLES("Foreign tables");

    private final String label;

    Folder(String label) { this.label = label; }

    public String label() { return label; }

    /** The JSON/CLI key: "tables", "materialized_views"… */
    public String key() { return name().toLowerCase(java.util.Locale.ROOT); }
}
