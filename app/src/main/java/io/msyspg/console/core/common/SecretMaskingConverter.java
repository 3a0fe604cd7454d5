package io.msyspg.console.core.common;

import ch.qos.logback.classic.pattern.MessageConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;

import java.util.regex.Pattern;

/** Logback converter that masks anything that looks like a password assignment in a log message. */
public final class SecretMaskingConverter extends MessageConverter {
    private static final Pattern SECRET = Pattern.compile(
            "(?i)(password|passwd|pwd|secret)(\\s*[=:]\\s*|\"\\s*:\\s*\")([^\\s&;\"',}]+)");
    private static final Pattern URL_PASSWORD = Pattern.compile("(postgres(?:ql)?://[^:/@\\s]+:)([^@\\s]+)(@)");

    @Override public String convert(ILoggingEvent event) {
        return mask(super.convert(event));
    }

    public static String mask(String s) {
        if (s == null) return null;
        String m = SECRET.matcher(s).replaceAll("$1$2****");
        return URL_PASSWORD.matcher(m).replaceAll("$1****$3");
    }
}
