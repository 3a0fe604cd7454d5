package io.msyspg.console.core.connect;

import io.msyspg.console.core.common.ConsoleException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EcdbIniTest {
    @TempDir Path dir;

    private EcdbIni.Result read(String text) throws Exception {
        Path f = dir.resolve("ecdb.ini");
        Files.writeString(f, text);
        return EcdbIni.read(f);
    }

    @Test
    void phpIniWithDsnAndQuotes() throws Exception {
        EcdbIni.Result r = read("""
                ; Momentum database credentials
                [ecdb]
                ecdb.dsn = "pgsql:host=10.1.2.3;port=5433;dbname=ecelerity;user=ecuser;password=s3cr;et"
                # other settings
                ecdb.persistent = Off
                """);
        ConnectionProfile p = r.profiles().get(0);
        assertThat(p.host).isEqualTo("10.1.2.3");
        assertThat(p.port).isEqualTo(5433);
        assertThat(p.database).isEqualTo("ecelerity");
        assertThat(p.user).isEqualTo("ecuser");
        assertThat(p.toolsDir).isEqualTo("/opt/msys/3rdParty/bin");
        assertThat(p.dataDir).as("remote server: no local data dir").isNull();
        assertThat(r.profiles()).hasSize(1);
        // a part without '=' after the password is taken as part of the password (it contained a ';')
        assertThat(new String(r.password())).isEqualTo("s3cr;et");
        assertThat(r.describe()).doesNotContain("s3cr").contains("password: found (line 3)");
    }

    @Test
    void separateKeysSingleQuotesAndInlineComments() throws Exception {
        EcdbIni.Result r = read("""
                [database]
                host = 'localhost'
                port = 5432 ; the default
                dbname = ecelerity
                user = "ecuser"
                password = "p\\"w;#x"
                """);
        assertThat(new String(r.password())).isEqualTo("p\"w;#x");
        assertThat(r.profiles()).extracting(p -> p.user).containsExactly("ecuser", "msyspg");
        ConnectionProfile su = r.profiles().get(1);
        assertThat(su.dataDir).isEqualTo("/var/db/msyspg");
        assertThat(su.serviceCommand).isEqualTo("/etc/init.d/msyspg");
        assertThat(su.passwordStorage).isEqualTo(ConnectionProfile.PasswordStorage.NONE);
        assertThat(r.profiles().get(0).port).isEqualTo(5432);
    }

    @Test
    void ecdbConfUriListForm() throws Exception {
        EcdbIni.Result r = read("uri = (\"pgsql:host=localhost;dbname=ecelerity;user=ecuser;password=pw1\")\n");
        assertThat(r.profiles().get(0).host).isEqualTo("localhost");
        assertThat(new String(r.password())).isEqualTo("pw1");
        assertThat(r.notes()).anyMatch(n -> n.startsWith("port not in the file: Momentum default '5432'"));
    }

    @Test
    void missingKeysTakeMomentumDefaultsAndSaySo() throws Exception {
        EcdbIni.Result r = read("[ecdb]\npassword = onlythis\n");
        ConnectionProfile p = r.profiles().get(0);
        assertThat(p.host).isEqualTo("localhost");
        assertThat(p.port).isEqualTo(5432);
        assertThat(p.database).isEqualTo("ecelerity");
        assertThat(p.user).isEqualTo("ecuser");
        assertThat(r.notes()).contains("dbname not in the file: Momentum default 'ecelerity'", "user not in the file: Momentum default 'ecuser'");
    }

    @Test
    void nothingUsefulIsAnError() {
        assertThatThrownBy(() -> read("[x]\nfoo = bar\n")).isInstanceOf(ConsoleException.class)
                .hasMessageContaining("No database settings found in " + dir.resolve("ecdb.ini"));
    }

    @Test
    void malformedLinesNameFileAndLine() {
        Path f = dir.resolve("ecdb.ini");
        assertThatThrownBy(() -> read("[ok]\nhost = x\nthis is not ini\n"))
                .hasMessage("Cannot read " + f + ", line 3: expected 'key = value', a [section] or a comment.");
        assertThatThrownBy(() -> read("host = \"unterminated\n"))
                .hasMessage("Cannot read " + f + ", line 1: unterminated double quote.");
        assertThatThrownBy(() -> read("[broken\n")).hasMessageContaining("line 1: a section header must end with ']'");
        assertThatThrownBy(() -> read("\n\ndsn = \"pgsql:host=x;garbage\"\n")).hasMessageContaining(f + ", line 3: DSN part 'garbage'");
        assertThatThrownBy(() -> read("port = 99999\n")).hasMessageContaining("port '99999' is not a port number");
    }

    @Test
    void binaryGarbageIsRejectedWithALine() throws Exception {
        Path f = dir.resolve("garbage.ini");
        byte[] b = new byte[4096];
        new Random(7).nextBytes(b);
        b[0] = 'a';
        b[1] = '\n';
        Files.write(f, b);
        assertThatThrownBy(() -> EcdbIni.read(f)).isInstanceOf(ConsoleException.class)
                .hasMessageStartingWith(f + " is not a text file").hasMessageContaining("at line ");
        assertThatThrownBy(() -> EcdbIni.read(dir.resolve("nope.ini"))).hasMessage("Momentum credentials file " + dir.resolve("nope.ini") + " does not exist.");
    }
}
