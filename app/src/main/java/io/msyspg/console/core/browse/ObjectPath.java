package io.msyspg.console.core.browse;

import io.msyspg.console.core.common.ConsoleException;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code SCHEMA[.OBJECT]} as typed on a command line. Parts are taken exactly as written (no case folding:
 * {@code Odd Schema.Order Table} works as is); double quotes are only needed around a part that contains a dot
 * or a quote, with {@code ""} for a quote inside: {@code "a.b"."say ""hi"""}.
 */
public record ObjectPath(String schema, String object) {
    public static ObjectPath parse(String text) {
        if (text == null || text.isBlank()) throw new ConsoleException("The object path is empty: give SCHEMA or SCHEMA.OBJECT.");
        List<String> parts = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false, wasQuoted = false;
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            if (quoted) {
                if (ch == '"') {
                    if (i + 1 < text.length() && text.charAt(i + 1) == '"') {
                        cur.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    cur.append(ch);
                }
            } else if (ch == '"' && cur.isEmpty() && !wasQuoted) {
                quoted = true;
                wasQuoted = true;
            } else if (ch == '.' && parts.isEmpty()) {
                parts.add(cur.toString());
                cur.setLength(0);
                wasQuoted = false;
            } else {
                if (wasQuoted) throw new ConsoleException("Unexpected text after a quoted name in '" + text + "'.");
                cur.append(ch);
            }
        }
        if (quoted) throw new ConsoleException("Unterminated double quote in '" + text + "'.");
        parts.add(cur.toString());
        for (String p : parts) if (p.isEmpty()) throw new ConsoleException("Empty name in '" + text + "': give SCHEMA or SCHEMA.OBJECT.");
        return new ObjectPath(parts.get(0), parts.size() > 1 ? parts.get(1) : null);
    }
}
