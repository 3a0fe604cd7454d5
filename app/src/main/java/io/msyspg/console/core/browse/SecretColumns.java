package io.msyspg.console.core.browse;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Columns whose values the preview never fetches: password and hash columns (Momentum's {@code webconsole}
 * users table among them). The rule applies in every schema; the server sends "********" instead of the value,
 * so a masked value never reaches the console's memory, the clipboard or a CSV file.
 */
public final class SecretColumns {
    private static final Pattern SECRET = Pattern.compile(
            "(.*password.*|.*passwd.*|.*pwhash.*|.*_hash|hash|.*secret.*|.*passphrase.*|.*api_?key.*|.*private_?key.*)");
    public static final String MASK = "********";

    private SecretColumns() {}

    public static boolean isSecret(String schema, String column) {
        return SECRET.matcher(column.toLowerCase(Locale.ROOT)).matches();
    }
}
