package io.msyspg.console.core.cluster;

import io.msyspg.console.core.common.ConsoleException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.ArrayList;
import java.util.List;

/**
 * The operating-system account PostgreSQL server programs run as. initdb and postgres refuse to run as
 * root, so when the console runs as root (as Momentum's procedures do) they run through
 * {@code runuser -u <account> --}: {@code postgres} for new clusters, the data directory's owner for
 * existing ones.
 */
public final class ServerAccount {
    private final String name;   // null: run as ourselves

    private ServerAccount(String name) {
        this.name = name;
    }

    public static boolean runningAsRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    /** Ourselves, or {@code postgres} when we are root. */
    public static ServerAccount forNewCluster() {
        return runningAsRoot() ? new ServerAccount("postgres") : new ServerAccount(null);
    }

    /** Ourselves, or the owner of {@code dataDir} when we are root. */
    public static ServerAccount forDataDirectory(Path dataDir) {
        if (!runningAsRoot()) return new ServerAccount(null);
        try {
            String owner = Files.getOwner(dataDir).getName();
            if ("root".equals(owner)) {
                throw new ConsoleException("The data directory " + dataDir + " is owned by root; PostgreSQL cannot run as root.");
            }
            return new ServerAccount(owner);
        } catch (IOException e) {
            throw new ConsoleException("Cannot read the owner of the data directory " + dataDir + ": " + e.getMessage(), e);
        }
    }

    public boolean switchesUser() { return name != null; }

    public String name() { return name != null ? name : System.getProperty("user.name"); }

    /** The command to run, prefixed so that it runs as this account. */
    public List<String> wrap(List<String> command) {
        if (name == null) return command;
        List<String> c = new ArrayList<>(List.of("runuser", "-u", name, "--"));
        c.addAll(command);
        return c;
    }

    /** Makes {@code path} owned by this account (no-op when we do not switch user). */
    public void giveOwnership(Path path) throws IOException {
        if (name == null) return;
        UserPrincipalLookupService lookup = path.getFileSystem().getUserPrincipalLookupService();
        UserPrincipal user = lookup.lookupPrincipalByName(name);
        Files.setOwner(path, user);
        PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class);
        try {
            GroupPrincipal group = lookup.lookupPrincipalByGroupName(name);
            if (view != null) view.setGroup(group);
        } catch (IOException noSuchGroup) {
            // the user's group may have another name; ownership by the user is what matters
        }
    }
}
