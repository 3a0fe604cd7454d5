package io.msyspg.console.core.backup;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * One line of {@code pg_restore -l}: {@code id; tableoid oid DESC schema name owner}. DESC may hold spaces
 * ("TABLE DATA", "FK CONSTRAINT"), and so may names; the parser knows pg_dump's descriptors and the archive's
 * schema names to split the line. {@code -L} only reads the leading id, in file order.
 */
public record TocEntry(int id, long tableOid, long oid, String desc, String schema, String name, String owner, String line) {
    /** pg_dump's object descriptors, longest first so that "TABLE DATA" wins over "TABLE". */
    static final List<String> DESCRIPTORS = sortLongestFirst(List.of(
            "TABLE DATA", "TABLE ATTACH", "TABLE", "SEQUENCE SET", "SEQUENCE OWNED BY", "SEQUENCE", "INDEX ATTACH", "INDEX",
            "FK CONSTRAINT", "CHECK CONSTRAINT", "CONSTRAINT", "DEFAULT ACL", "DEFAULT", "MATERIALIZED VIEW DATA",
            "MATERIALIZED VIEW", "VIEW", "LARGE OBJECT", "BLOB DATA", "BLOB METADATA", "BLOBS", "BLOB", "SHELL TYPE", "TYPE", "DOMAIN",
            "TEXT SEARCH CONFIGURATION", "TEXT SEARCH DICTIONARY", "TEXT SEARCH PARSER", "TEXT SEARCH TEMPLATE",
            "FOREIGN TABLE", "FOREIGN DATA WRAPPER", "FOREIGN SERVER", "SERVER", "USER MAPPING", "OPERATOR CLASS",
            "OPERATOR FAMILY", "OPERATOR", "EVENT TRIGGER", "TRIGGER", "PROCEDURAL LANGUAGE", "ROW SECURITY", "POLICY",
            "PUBLICATION TABLES IN SCHEMA", "PUBLICATION TABLE", "PUBLICATION", "SUBSCRIPTION TABLE", "SUBSCRIPTION",
            "DATABASE PROPERTIES", "DATABASE", "ACCESS METHOD", "COMMENT", "ACL", "SECURITY LABEL", "FUNCTION", "PROCEDURE",
            "AGGREGATE", "SCHEMA", "EXTENSION", "COLLATION", "CONVERSION", "CAST", "TRANSFORM", "RULE", "ENCODING",
            "STDSTRINGS", "SEARCHPATH", "STATISTICS DATA", "STATISTICS", "LARGE OBJECTS"));

    private static List<String> sortLongestFirst(List<String> l) {
        List<String> s = new ArrayList<>(l);
        s.sort(Comparator.comparingInt(String::length).reversed());
        return List.copyOf(s);
    }

    /** True for entries that carry rows (the ones worth a progress weight and a data checkbox). */
    public boolean isData() {
        return desc.equals("TABLE DATA") || desc.equals("BLOBS") || desc.equals("BLOB DATA") || desc.equals("SEQUENCE SET")
                || desc.equals("MATERIALIZED VIEW DATA");
    }

    /** "schema.name" or just the name when the entry has no schema. */
    public String object() {
        return schema == null || schema.equals("-") ? name : schema + "." + name;
    }

    /** The line for a {@code -L} file: the id is all pg_restore reads; the rest is kept for people. */
    public String listLine() { return line; }

    /**
     * Parses one list line; null for comments and blank lines. {@code schemas} are the schema names known from the
     * archive's SCHEMA entries (may be empty), used to split "schema name" when either holds spaces.
     */
    public static TocEntry parse(String line, Collection<String> schemas) {
        String l = line.strip();
        if (l.isEmpty() || l.startsWith(";")) return null;
        int semi = l.indexOf(';');
        if (semi < 0) return null;
        int id;
        try {
            id = Integer.parseInt(l.substring(0, semi).trim());
        } catch (NumberFormatException e) {
            return null;
        }
        String rest = l.substring(semi + 1).strip();
        String[] parts = rest.split(" ", 3);
        if (parts.length < 3) return new TocEntry(id, 0, 0, rest, "-", "", "", line);
        long tableOid, oid;
        try {
            tableOid = Long.parseLong(parts[0]);
            oid = Long.parseLong(parts[1]);
        } catch (NumberFormatException e) {
            return new TocEntry(id, 0, 0, rest, "-", "", "", line);
        }
        String tail = parts[2];
        String desc = null;
        for (String d : DESCRIPTORS) {
            if (tail.startsWith(d + " ")) {
                desc = d;
                break;
            }
        }
        if (desc == null) {
            int sp = tail.indexOf(' ');
            desc = sp < 0 ? tail : tail.substring(0, sp);
        }
        String after = tail.length() > desc.length() ? tail.substring(desc.length() + 1) : "";
        int lastSpace = after.lastIndexOf(' ');
        String owner = lastSpace < 0 ? "" : after.substring(lastSpace + 1);
        String schemaAndName = lastSpace < 0 ? after : after.substring(0, lastSpace);
        String schema;
        String name;
        String known = null;
        for (String s : schemas) {
            if (schemaAndName.startsWith(s + " ") && (known == null || s.length() > known.length())) known = s;
        }
        if (schemaAndName.startsWith("- ")) {
            schema = "-";
            name = schemaAndName.substring(2);
        } else if (known != null) {
            schema = known;
            name = schemaAndName.substring(known.length() + 1);
        } else {
            int sp = schemaAndName.indexOf(' ');
            schema = sp < 0 ? "-" : schemaAndName.substring(0, sp);
            name = sp < 0 ? schemaAndName : schemaAndName.substring(sp + 1);
        }
        return new TocEntry(id, tableOid, oid, desc, schema, name, owner, line);
    }

    /** Schema names from SCHEMA entries ("SCHEMA - name owner"), to split the other lines. */
    public static Set<String> schemaNames(List<String> lines) {
        Set<String> names = new java.util.HashSet<>(Set.of("public", "pg_catalog"));
        for (String l : lines) {
            int i = l.indexOf(" SCHEMA - ");
            if (i < 0 || l.startsWith(";")) continue;
            String after = l.substring(i + " SCHEMA - ".length()).strip();
            int last = after.lastIndexOf(' ');
            if (last > 0) names.add(after.substring(0, last));
        }
        return names;
    }
}
