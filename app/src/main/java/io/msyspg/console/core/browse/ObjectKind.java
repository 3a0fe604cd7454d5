package io.msyspg.console.core.browse;

/** What a catalog object is. Relations map from {@code pg_class.relkind}. */
public enum ObjectKind {
    TABLE, PARTITIONED_TABLE, VIEW, MATERIALIZED_VIEW, SEQUENCE, FOREIGN_TABLE, FUNCTION, PROCEDURE, AGGREGATE,
    TYPE, EXTENSION, INDEX, OTHER;

    public static ObjectKind ofRelkind(String relkind) {
        return switch (relkind) {
            case "r" -> TABLE;
            case "p" -> PARTITIONED_TABLE;
            case "v" -> VIEW;
            case "m" -> MATERIALIZED_VIEW;
            case "S" -> SEQUENCE;
            case "f" -> FOREIGN_TABLE;
            case "i", "I" -> INDEX;
            default -> OTHER;
        };
    }

    public static ObjectKind ofProkind(String prokind) {
        return switch (prokind) {
            case "p" -> PROCEDURE;
            case "a" -> AGGREGATE;
            default -> FUNCTION;
        };
    }

    public boolean isRelation() {
        return switch (this) {
            case TABLE, PARTITIONED_TABLE, VIEW, MATERIALIZED_VIEW, SEQUENCE, FOREIGN_TABLE, INDEX -> true;
            default -> false;
        };
    }

    /** Relations whose rows can be previewed. */
    public boolean hasData() {
        return switch (this) {
            case TABLE, PARTITIONED_TABLE, VIEW, MATERIALIZED_VIEW, FOREIGN_TABLE -> true;
            default -> false;
        };
    }

    /** JSON form: "partitioned_table". */
    @com.fasterxml.jackson.annotation.JsonValue
    public String json() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
    }
}
