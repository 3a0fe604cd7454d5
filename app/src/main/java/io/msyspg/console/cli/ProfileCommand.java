package io.msyspg.console.cli;

import io.msyspg.console.core.common.AppDirs;
import io.msyspg.console.core.common.ConsoleException;
import io.msyspg.console.core.connect.ConnectionProfile;
import io.msyspg.console.core.connect.EcdbIni;
import io.msyspg.console.core.connect.ProfileService;
import io.msyspg.console.core.connect.SecretStores;
import io.msyspg.console.core.settings.SettingsStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

@Command(name = "profile", description = "List, show, delete connection profiles, or import them from Momentum's ecdb.ini.",
        mixinStandardHelpOptions = true)
final class ProfileCommand {
    @Spec CommandSpec spec;

    /** For tests. */
    AppDirs dirs;
    ConnectionOptions.PasswordPrompt prompt = ConnectionOptions.PasswordPrompt.console();

    private ProfileService service() {
        AppDirs d = dirs != null ? dirs : AppDirs.fromEnvironment();
        return new ProfileService(SettingsStore.open(d), SecretStores.open(d));
    }

    private PrintWriter out() { return spec.commandLine().getOut(); }

    @Command(name = "list", description = "List the saved profiles.")
    int list(@Mixin HelpOption help) {
        var all = service().list();
        if (all.isEmpty()) out().println("No connection profiles. Create one in the GUI or with 'profile import-ecdb'.");
        for (ConnectionProfile p : all) {
            out().printf("%-28s %s@%s:%d/%s  password: %s%n", p.name, p.user, p.host, p.port, p.database, storage(p.passwordStorage));
        }
        return 0;
    }

    @Command(name = "show", description = "Show one profile.")
    int show(@Mixin HelpOption help, @Parameters(paramLabel = "NAME") String name) {
        ConnectionProfile p = service().byName(name).orElseThrow(() -> new ConsoleException("No connection profile named '" + name + "'."));
        PrintWriter o = out();
        o.println("name          " + p.name);
        o.println("host          " + p.host);
        o.println("port          " + p.port);
        o.println("database      " + p.database);
        o.println("user          " + p.user);
        o.println("sslmode       " + p.sslMode + (p.sslRootCert == null ? "" : " (root cert " + p.sslRootCert + ")"));
        o.println("app name      " + p.applicationName);
        o.println("password      " + storage(p.passwordStorage));
        if (p.dataDir != null) o.println("data dir      " + p.dataDir);
        if (p.serviceCommand != null) o.println("service       " + p.serviceCommand);
        if (p.toolsDir != null) o.println("tools dir     " + p.toolsDir);
        return 0;
    }

    @Command(name = "delete", description = "Delete a profile and its stored password.")
    int delete(@Mixin HelpOption help, @Parameters(paramLabel = "NAME") String name) {
        ProfileService s = service();
        ConnectionProfile p = s.byName(name).orElseThrow(() -> new ConsoleException("No connection profile named '" + name + "'."));
        s.delete(p);
        out().println("Deleted profile '" + p.name + "'.");
        return 0;
    }

    @Command(name = "import-ecdb", description = {"Import Momentum's database credentials (ecdb.ini or ecdb.conf).",
            "Prints what was found; saves unless --dry-run. The password goes to the OS keyring or the encrypted file."})
    int importEcdb(@Mixin HelpOption help,
                   @Parameters(paramLabel = "FILE", arity = "0..1", description = "Default: " + "/opt/msys/3rdParty/etc/php.d/ecdb.ini") Path file,
                   @Option(names = "--dry-run", description = "Only print what was found.") boolean dryRun) {
        EcdbIni.Result r = EcdbIni.read(file != null ? file : EcdbIni.DEFAULT_FILE);
        try {
            out().print(r.describe());
            if (dryRun) return 0;
            ProfileService s = service();
            ConnectionProfile.PasswordStorage storage = ConnectionProfile.PasswordStorage.NONE;
            if (r.password() != null) {
                storage = s.secrets().preferred();
                if (storage == ConnectionProfile.PasswordStorage.ENCRYPTED_FILE) {
                    Optional<char[]> master = prompt.ask(s.secrets().file().exists()
                            ? "Master password for the console's secret store: "
                            : "Choose a master password for the console's secret store: ");
                    if (master.isEmpty()) {
                        storage = ConnectionProfile.PasswordStorage.ASK;
                        out().println("No terminal to ask for a master password: the password is not stored (the profile will ask).");
                    } else {
                        try {
                            s.secrets().file().unlock(master.get());
                        } finally {
                            Arrays.fill(master.get(), '\0');
                        }
                    }
                }
            }
            boolean first = true;
            for (ConnectionProfile p : r.profiles()) {
                if (first) p.passwordStorage = r.password() == null ? ConnectionProfile.PasswordStorage.NONE : storage;
                Optional<ConnectionProfile> existing = s.byName(p.name);
                if (existing.isPresent()) p.id = existing.get().id;
                s.save(p, first ? r.password() : null);
                out().println((existing.isPresent() ? "Updated" : "Saved") + " profile '" + p.name + "'.");
                first = false;
            }
            return 0;
        } finally {
            r.clear();
        }
    }

    private static String storage(ConnectionProfile.PasswordStorage s) {
        return switch (s) {
            case ASK -> "asked every time";
            case KEYRING -> "OS keyring";
            case ENCRYPTED_FILE -> "encrypted file";
            case NONE -> "none (trust, ~/.pgpass or PGPASSWORD)";
        };
    }
}
