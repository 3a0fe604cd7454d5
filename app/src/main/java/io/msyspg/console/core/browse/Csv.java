package io.msyspg.console.core.browse;

import java.io.IOException;
import java.io.Writer;
import java.util.List;

/**
 * RFC 4180 CSV: fields with a comma, quote, CR, LF or leading/trailing space are quoted and their quotes
 * doubled; SQL NULL is an empty unquoted field, an empty string is {@code ""}. Lines end with CRLF.
 */
public final class Csv {
    private Csv() {}

    public static void write(Writer out, List<String> header, List<? extends List<String>> rows) throws IOException {
        line(out, header);
        for (List<String> r : rows) line(out, r);
        out.flush();
    }

    public static void line(Writer out, List<String> fields) throws IOException {
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) out.write(',');
            out.write(field(fields.get(i)));
        }
        out.write("\r\n");
    }

    public static String field(String v) {
        if (v == null) return "";
        boolean quote = v.isEmpty() || v.indexOf(',') >= 0 || v.indexOf('"') >= 0 || v.indexOf('\n') >= 0 || v.indexOf('\r') >= 0
                || Character.isWhitespace(v.charAt(0)) || Character.isWhitespace(v.charAt(v.length() - 1));
        return quote ? '"' + v.replace("\"", "\"\"") + '"' : v;
    }
}
