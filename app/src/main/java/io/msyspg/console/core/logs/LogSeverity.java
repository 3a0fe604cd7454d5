package io.msyspg.console.core.logs;

import java.util.Locale;

/** PostgreSQL message severities, in increasing order, plus UNKNOWN for lines no parser recognises. */
public enum LogSeverity {
    UNKNOWN, DEBUG5, DEBUG4, DEBUG3, DEBUG2, DEBUG1, LOG, INFO, NOTICE, WARNING, ERROR, FATAL, PANIC;

    private static final LogSeverity[] VALUES = values();

    public static LogSeverity ofCode(int code) {
        return code >= 0 && code < VALUES.length ? VALUES[code] : UNKNOWN;
    }

    /** True for ERROR, FATAL and PANIC: what "jump to next error" stops at. */
    public boolean isError() {
        return this == ERROR || this == FATAL || this == PANIC;
    }

    /**
     * The severity for a word as PostgreSQL writes it ("ERROR", "debug1", or a translation such as "FEHLER" when
     * lc_messages is not English), or null when it is not one.
     */
    public static LogSeverity parse(String word) {
        if (word == null) return null;
        String w = word.toUpperCase(Locale.ROOT);
        return switch (w) {
            case "DEBUG5" -> DEBUG5;
            case "DEBUG4" -> DEBUG4;
            case "DEBUG3" -> DEBUG3;
            case "DEBUG2" -> DEBUG2;
            case "DEBUG1", "DEBUG" -> DEBUG1;
            case "LOG" -> LOG;
            case "INFO" -> INFO;
            case "NOTICE" -> NOTICE;
            case "WARNING" -> WARNING;
            case "ERROR" -> ERROR;
            case "FATAL" -> FATAL;
            case "PANIC" -> PANIC;
            case "UNKNOWN" -> UNKNOWN;
            default -> TRANSLATED.get(w);
        };
    }

    /** True when {@code word} names this severity in English (so a translated word is worth keeping beside it). */
    public boolean isEnglishWord(String word) {
        if (word == null) return false;
        String w = word.toUpperCase(Locale.ROOT);
        return w.equals(name()) || this == DEBUG1 && w.equals("DEBUG");
    }

    /**
     * The severity words of translated servers (lc_messages), as PostgreSQL's backend message catalogues write
     * them: msgstr of "DEBUG", "LOG", "INFO", "NOTICE", "WARNING", "ERROR", "FATAL", "PANIC" in
     * src/backend/po/*.po (de, es, fr, it, ja, ka, ko, ru, sv, uk, zh_CN from the PostgreSQL 15 catalogues
     * installed with the server; pt_BR from the repository's pt_BR.po). Languages whose translation is the
     * English word (es, ja and others for most words) need no entry. Georgian uses one word for NOTICE and
     * WARNING: it maps to WARNING (the higher one, so nothing is hidden by a WARNING filter).
     */
    private static final java.util.Map<String, LogSeverity> TRANSLATED = translations();

    private static java.util.Map<String, LogSeverity> translations() {
        java.util.Map<String, LogSeverity> m = new java.util.HashMap<>();
        put(m, DEBUG1, "DEPURAÇÃO", "ОТЛАДКА", "디버그", "გამართვა", "НАЛАГОДЖЕННЯ", "调试");
        put(m, LOG, "LOGG", "СООБЩЕНИЕ", "로그", "ჟურნალი", "ЗАПИСУВАННЯ", "日志");
        put(m, INFO, "ИНФОРМАЦИЯ", "정보", "ინფორმაცია", "ІНФОРМАЦІЯ", "信息");
        put(m, NOTICE, "HINWEIS", "NOTIFICA", "NOTIS", "ЗАМЕЧАНИЕ", "알림", "ПОВІДОМЛЕННЯ", "注意", "NOTA");
        put(m, WARNING, "WARNUNG", "ATTENTION", "ATTENZIONE", "VARNING", "ПРЕДУПРЕЖДЕНИЕ", "경고", "გაფრთხილება",
                "ПОПЕРЕДЖЕННЯ", "警告", "AVISO");
        put(m, ERROR, "FEHLER", "ERREUR", "ERRORE", "FEL", "ОШИБКА", "오류", "შეცდომა", "ПОМИЛКА", "错误", "ERRO");
        put(m, FATAL, "FATALE", "FATALT", "ВАЖНО", "치명적오류", "ფატალური", "ФАТАЛЬНО", "致命错误");
        put(m, PANIC, "PANIK", "PANICO", "ПАНИКА", "손상", "პანიკა", "ПАНІКА", "比致命错误还过分的错误", "PÂNICO");
        return java.util.Map.copyOf(m);
    }

    private static void put(java.util.Map<String, LogSeverity> m, LogSeverity s, String... words) {
        for (String w : words) {
            LogSeverity old = m.put(w.toUpperCase(Locale.ROOT), s);
            if (old != null && old != s) throw new IllegalStateException("severity word " + w + " maps to two levels");
        }
    }

    /** Parses a user-given level for --min-severity; throws a clear message for anything else. */
    public static LogSeverity parseLevel(String s) {
        LogSeverity v = parse(s == null ? null : s.trim());
        if (v == null) {
            throw new io.msyspg.console.core.common.ConsoleException("Unknown severity '" + s
                    + "': use DEBUG5..DEBUG1, LOG, INFO, NOTICE, WARNING, ERROR, FATAL or PANIC.");
        }
        return v;
    }

    /**
     * The words that introduce a detail line of the previous record in stderr logs: DETAIL, HINT, CONTEXT,
     * STATEMENT, QUERY, LOCATION and their translations (msgstr of "DETAIL:  " etc. in src/backend/po/*.po, same
     * catalogues as the severities). French writes a space before the colon ("ASTUCE :  "); Russian and Korean
     * write some of them with one space after the colon. Korean STATEMENT is two words ("명령 구문"): its last
     * word is listed.
     */
    static boolean isDetailWord(String w) {
        if (w == null) return false;
        return switch (w) {
            case "DETAIL", "HINT", "CONTEXT", "STATEMENT", "QUERY", "LOCATION" -> true;
            default -> DETAIL_WORDS.contains(w.toUpperCase(Locale.ROOT));
        };
    }

    private static final java.util.Set<String> DETAIL_WORDS = java.util.Set.of(
            // de
            "TIPP", "ANFRAGE", "ZUSAMMENHANG", "ANWEISUNG", "ORT",
            // es
            "DETALLE", "CONSULTA", "CONTEXTO", "SENTENCIA", "UBICACIÓN",
            // fr
            "DÉTAIL", "ASTUCE", "REQUÊTE", "CONTEXTE", "INSTRUCTION", "EMPLACEMENT",
            // it
            "DETTAGLI", "SUGGERIMENTO", "CONTESTO", "ISTRUZIONE", "POSIZIONE",
            // ja
            "詳細", "ヒント", "問い合わせ", "文脈", "文", "場所",
            // ka
            "დეტალები", "მინიშნება", "მოთხოვნა", "კონტექსტი", "ოპერატორი", "მდებარეობა",
            // ko
            "상세정보", "힌트", "쿼리", "내용", "구문", "위치",
            // ru
            "ПОДРОБНОСТИ", "ПОДСКАЗКА", "ЗАПРОС", "КОНТЕКСТ", "ОПЕРАТОР", "ПОЛОЖЕНИЕ",
            // sv
            "DETALJ", "TIPS", "FRÅGA", "KONTEXT", "SATS", "PLATS",
            // uk
            "ВІДОМОСТІ", "УКАЗІВКА", "ЗАПИТ", "ІНСТРУКЦІЯ", "РОЗТАШУВАННЯ",
            // zh_CN
            "详细信息", "提示", "查询", "上下文", "语句", "位置",
            // pt_BR
            "DETALHE", "DICA", "LOCAL", "COMANDO");

    /** The field a detail line's text goes to: "detail", "hint", … for English and translated words alike. */
    static String detailField(String w) {
        String u = w.toUpperCase(Locale.ROOT);
        return switch (u) {
            case "DETAIL", "DETALLE", "DÉTAIL", "DETTAGLI", "詳細", "დეტალები", "상세정보", "ПОДРОБНОСТИ", "DETALJ",
                 "ВІДОМОСТІ", "详细信息", "DETALHE" -> "detail";
            case "HINT", "TIPP", "ASTUCE", "SUGGERIMENTO", "ヒント", "მინიშნება", "힌트", "ПОДСКАЗКА", "TIPS",
                 "УКАЗІВКА", "提示", "DICA" -> "hint";
            case "CONTEXT", "ZUSAMMENHANG", "CONTEXTO", "CONTEXTE", "CONTESTO", "文脈", "კონტექსტი", "내용", "КОНТЕКСТ",
                 "KONTEXT", "上下文" -> "context";
            case "STATEMENT", "ANWEISUNG", "SENTENCIA", "INSTRUCTION", "ISTRUZIONE", "文", "ოპერატორი", "구문",
                 "ОПЕРАТОР", "SATS", "ІНСТРУКЦІЯ", "语句", "COMANDO" -> "statement";
            case "QUERY", "ANFRAGE", "CONSULTA", "REQUÊTE", "問い合わせ", "მოთხოვნა", "쿼리", "ЗАПРОС", "FRÅGA",
                 "ЗАПИТ", "查询" -> "query";
            default -> "location";
        };
    }
}
