package io.msyspg.console.core.logs;

import io.msyspg.console.core.task.JobContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Servers with a translated lc_messages write translated severity and detail words (the words below are the
 * msgstr of PostgreSQL's backend catalogues). Severity filters, colours and record boundaries must work, and the
 * word as written is kept in the record ({@code severity_word}).
 */
class LogTranslatedSeverityTest {
    @TempDir Path dir;

    static final String P = "2026-11-21 10:00:00.123 UTC [42] ";

    LogDocument load(Path f, LogFormat format) throws Exception {
        LogDocument d = new LogDocument(LocalLogSource.open(f), format, LinePrefix.compile(LinePrefix.DEFAULT));
        d.load(f.getFileName().toString(), JobContext.none());
        return d;
    }

    List<LogRecord> records(LogDocument d) throws Exception {
        List<LogRecord> r = new ArrayList<>();
        for (int i = 0; i < d.index().size(); i++) r.add(d.record(i));
        return r;
    }

    @Test
    void stderrLinesInSeveralLanguagesGetTheirLevelsDetailsAndKeepTheirWords() throws Exception {
        String log = String.join("\n",
                // de
                P + "FEHLER:  Relation »x« existiert nicht",
                P + "DETAIL:  Schlüssel fehlt",
                P + "TIPP:  Prüfen Sie den Namen",
                P + "ANWEISUNG:  SELECT * FROM x",
                P + "WARNUNG:  es gibt keine laufende Transaktion",
                P + "HINWEIS:  Tabelle existiert bereits",
                P + "PANIK:  kaputt",
                // fr: a space before the colon of detail words
                P + "ERREUR:  la relation « x » n'existe pas",
                P + "ASTUCE :  vérifiez le nom",
                P + "INSTRUCTION :  SELECT 1",
                P + "ATTENTION:  aucune transaction en cours",
                // ru (LOCATION with one space), uk
                P + "ОШИБКА:  отношение \"x\" не существует",
                P + "ПОДРОБНОСТИ:  нет ключа",
                P + "ПОЛОЖЕНИЕ: parserOpenTable, parse_relation.c:1384",
                P + "ВАЖНО:  роль не существует",
                P + "СООБЩЕНИЕ:  система БД готова",
                P + "ПОПЕРЕДЖЕННЯ:  попередження",
                // zh_CN, ja (English severities, Japanese detail words), ko
                P + "错误:  关系 \"x\" 不存在",
                P + "提示:  检查名称",
                P + "ERROR:  リレーション\"x\"は存在しません",
                P + "詳細:  キーがありません",
                P + "오류:  \"x\" 이름의 릴레이션이 없습니다",
                P + "치명적오류:  롤 없음",
                // it, sv, pt_BR, ka (one word for NOTICE and WARNING: WARNING)
                P + "ERRORE:  la relazione non esiste",
                P + "SUGGERIMENTO:  controlla",
                P + "VARNING:  ingen transaktion",
                P + "FEL:  relationen finns inte",
                P + "ERRO:  relação não existe",
                P + "DICA:  verifique",
                P + "AVISO:  nenhuma transação",
                P + "გაფრთხილება:  გაფრთხილება",
                P + "LOG:  english still works") + "\n";
        Path f = dir.resolve("translated.log");
        Files.writeString(f, log);
        LogDocument d = load(f, LogFormat.STDERR);
        List<LogRecord> r = records(d);
        assertThat(r).extracting(LogRecord::severity).containsExactly(
                LogSeverity.ERROR, LogSeverity.WARNING, LogSeverity.NOTICE, LogSeverity.PANIC,
                LogSeverity.ERROR, LogSeverity.WARNING,
                LogSeverity.ERROR, LogSeverity.FATAL, LogSeverity.LOG, LogSeverity.WARNING,
                LogSeverity.ERROR, LogSeverity.ERROR, LogSeverity.ERROR, LogSeverity.FATAL,
                LogSeverity.ERROR, LogSeverity.WARNING, LogSeverity.ERROR, LogSeverity.ERROR, LogSeverity.WARNING,
                LogSeverity.WARNING, LogSeverity.LOG);
        // the index agrees with the parser (filters and the histogram use the index)
        for (int i = 0; i < r.size(); i++) assertThat(d.index().severity(i)).isEqualTo(r.get(i).severity());
        LogRecord de = r.get(0);
        assertThat(de.field("severity_word")).isEqualTo("FEHLER");
        assertThat(de.field("detail")).isEqualTo("Schlüssel fehlt");
        assertThat(de.field("hint")).isEqualTo("Prüfen Sie den Namen");
        assertThat(de.field("statement")).isEqualTo("SELECT * FROM x");
        LogRecord fr = r.get(4);
        assertThat(fr.field("severity_word")).isEqualTo("ERREUR");
        assertThat(fr.field("hint")).isEqualTo("vérifiez le nom");
        assertThat(fr.field("statement")).isEqualTo("SELECT 1");
        LogRecord ru = r.get(6);
        assertThat(ru.field("detail")).isEqualTo("нет ключа");
        assertThat(ru.raw()).contains("ПОЛОЖЕНИЕ: parserOpenTable");          // attached to its record, not a record of its own
        assertThat(r.get(10).field("hint")).isEqualTo("检查名称");
        assertThat(r.get(11).field("detail")).isEqualTo("キーがありません");
        assertThat(r.get(11).field("severity_word")).isNull();              // English word: nothing extra
        assertThat(r.get(14).field("hint")).isEqualTo("controlla");
        assertThat(r.get(17).field("hint")).isEqualTo("verifique");
        assertThat(r.get(19).field("severity_word")).isEqualTo("გაფრთხილება");
        // a severity filter sees them
        LogFilter errors = new LogFilter(LogFilter.atLeast(LogSeverity.ERROR), Long.MIN_VALUE, Long.MAX_VALUE, null, null, null, null, null);
        assertThat(errors.run(d, 0, d.index().size(), JobContext.none()).size()).isEqualTo(12);
    }

    @Test
    void csvlogAndJsonlogTranslatedSeverities() throws Exception {
        Path csv = dir.resolve("t.csv");
        Files.writeString(csv,
                "2026-11-21 10:00:00.123 UTC,\"postgres\",\"db\",42,\"[local]\",65a.1,1,\"SELECT\",2026-11-21 09:00:00 UTC,3/4,0,"
                        + "比致命错误还过分的错误,XX000,\"坏了\",,,,,,\"SELECT 1\",,,\"psql\",\"client backend\",,0\n"
                        + "2026-11-21 10:00:01.123 UTC,\"postgres\",\"db\",42,\"[local]\",65a.1,2,\"SELECT\",2026-11-21 09:00:00 UTC,3/4,0,"
                        + "ПРЕДУПРЕЖДЕНИЕ,01000,\"осторожно\",,,,,,,,,\"psql\",\"client backend\",,0\n", StandardCharsets.UTF_8);
        LogDocument d = load(csv, LogFormat.CSV);
        List<LogRecord> r = records(d);
        assertThat(r).extracting(LogRecord::severity).containsExactly(LogSeverity.PANIC, LogSeverity.WARNING);
        assertThat(d.index().severity(0)).isEqualTo(LogSeverity.PANIC);
        assertThat(d.index().severity(1)).isEqualTo(LogSeverity.WARNING);
        assertThat(r.get(1).field("severity_word")).isEqualTo("ПРЕДУПРЕЖДЕНИЕ");

        Path json = dir.resolve("t.json");
        Files.writeString(json,
                "{\"timestamp\":\"2026-11-21 10:00:00.123 UTC\",\"pid\":42,\"error_severity\":\"FEHLER\",\"message\":\"kaputt\"}\n"
                        + "{\"timestamp\":\"2026-11-21 10:00:01.123 UTC\",\"pid\":42,\"error_severity\":\"LOG\",\"message\":\"gut\"}\n",
                StandardCharsets.UTF_8);
        LogDocument j = load(json, LogFormat.JSON);
        assertThat(records(j)).extracting(LogRecord::severity).containsExactly(LogSeverity.ERROR, LogSeverity.LOG);
        assertThat(j.index().severity(0)).isEqualTo(LogSeverity.ERROR);
        assertThat(records(j).get(0).field("severity_word")).isEqualTo("FEHLER");
    }

    @Test
    void everyCatalogueWordMapsToOneLevelAndEnglishStillParses() {
        assertThat(LogSeverity.parse("Fehler")).isEqualTo(LogSeverity.ERROR);
        assertThat(LogSeverity.parse("PÂNICO")).isEqualTo(LogSeverity.PANIC);
        assertThat(LogSeverity.parse("ОТЛАДКА")).isEqualTo(LogSeverity.DEBUG1);
        assertThat(LogSeverity.parse("LOGG")).isEqualTo(LogSeverity.LOG);
        assertThat(LogSeverity.parse("debug3")).isEqualTo(LogSeverity.DEBUG3);
        assertThat(LogSeverity.parse("Quatsch")).isNull();
        assertThat(LogSeverity.isDetailWord("ZUSAMMENHANG")).isTrue();
        assertThat(LogSeverity.detailField("ZUSAMMENHANG")).isEqualTo("context");
        assertThat(LogSeverity.detailField("REQUÊTE")).isEqualTo("query");
    }
}
