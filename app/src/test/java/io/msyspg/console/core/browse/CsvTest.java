package io.msyspg.console.core.browse;

import org.junit.jupiter.api.Test;

import java.io.StringWriter;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CsvTest {
    @Test void quotesOnlyWhatNeedsQuoting() throws Exception {
        StringWriter w = new StringWriter();
        Csv.write(w, List.of("id", "note"), List.of(Arrays.asList("1", "plain"), Arrays.asList("2", "a,b"), Arrays.asList("3", "say \"hi\""),
                Arrays.asList("4", "line\nbreak"), Arrays.asList("5", null), Arrays.asList("6", ""), Arrays.asList("7", " pad")));
        assertThat(w.toString()).isEqualTo("id,note\r\n1,plain\r\n2,\"a,b\"\r\n3,\"say \"\"hi\"\"\"\r\n4,\"line\nbreak\"\r\n5,\r\n6,\"\"\r\n7,\" pad\"\r\n");
    }

    @Test void secretColumnNames() {
        assertThat(SecretColumns.isSecret("webconsole", "password")).isTrue();
        assertThat(SecretColumns.isSecret("webconsole", "PassWD")).isTrue();
        assertThat(SecretColumns.isSecret("webconsole", "pwhash")).isTrue();
        assertThat(SecretColumns.isSecret("webconsole", "login_hash")).isTrue();
        assertThat(SecretColumns.isSecret("webconsole", "api_secret")).isTrue();
        assertThat(SecretColumns.isSecret("webconsole", "login")).isFalse();
        assertThat(SecretColumns.isSecret("webconsole", "hashtag")).isFalse();
    }

    @Test void identifiersAreAlwaysQuoted() {
        assertThat(io.msyspg.console.core.common.Sql.quoteIdent("a\"b")).isEqualTo("\"a\"\"b\"");
        assertThat(io.msyspg.console.core.common.Sql.qualified("Odd Schema", "select")).isEqualTo("\"Odd Schema\".\"select\"");
        assertThat(io.msyspg.console.core.common.Sql.containsPattern("100%_\\")).isEqualTo("%100\\%\\_\\\\%");
    }
}
