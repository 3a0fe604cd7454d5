package io.msyspg.console.core.common;

/**
 * SQL text helpers for the few places where a name must become part of a statement (identifiers cannot be
 * bound as parameters). Values are always bound; {@link #quoteLiteral} is only for DDL text shown to the user.
 */
public final class Sql {
    private Sql() {}

    /** Always quotes, as {@code quote_ident} would when needed: {@code a"b} becomes {@code "a""b"}. */
    public static String quoteIdent(String name) {
        if (name == null) throw new IllegalArgumentException("identifier is null");
        if (name.indexOf('\0') >= 0) throw new IllegalArgumentException("identifier contains a NUL character");
        return '"' + name.replace("\"", "\"\"") + '"';
    }

    /** {@code "schema"."name"}. */
    public static String qualified(String schema, String name) {
        return quoteIdent(schema) + "." + quoteIdent(name);
    }

    /** A string literal for display/DDL text (standard_conforming_strings on): {@code it's} → {@code 'it''s'}. */
    public static String quoteLiteral(String value) {
        if (value == null) return "NULL";
        return "'" + value.replace("'", "''") + "'";
    }

    /**
     * A LIKE/ILIKE pattern that matches {@code text} anywhere, with the wildcards in it taken literally
     * (the default escape character, backslash).
     */
    public static String containsPattern(String text) {
        return "%" + escapeLike(text) + "%";
    }

    public static String escapeLike(String text) {
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }
}
