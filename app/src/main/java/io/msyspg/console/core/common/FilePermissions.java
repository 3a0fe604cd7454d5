package io.msyspg.console.core.common;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/** POSIX permission helpers that quietly do nothing on file systems without POSIX attributes. */
public final class FilePermissions {
    private FilePermissions() {}

    /** rwx------ for directories, rw------- for files. */
    public static void ownerOnly(Path p) throws IOException {
        if (Files.getFileAttributeView(p, PosixFileAttributeView.class) == null) return;
        Set<PosixFilePermission> perms = Files.isDirectory(p)
                ? PosixFilePermissions.fromString("rwx------")
                : PosixFilePermissions.fromString("rw-------");
        Files.setPosixFilePermissions(p, perms);
    }

    public static void set(Path p, String rwx) throws IOException {
        if (Files.getFileAttributeView(p, PosixFileAttributeView.class) == null) return;
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(rwx));
    }

    /** True when group or others may read the file: libpq then ignores a password file. */
    public static boolean groupOrWorldAccessible(Path p) throws IOException {
        if (Files.getFileAttributeView(p, PosixFileAttributeView.class) == null) return false;
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p);
        return perms.contains(PosixFilePermission.GROUP_READ) || perms.contains(PosixFilePermission.GROUP_WRITE)
                || perms.contains(PosixFilePermission.GROUP_EXECUTE) || perms.contains(PosixFilePermission.OTHERS_READ)
                || perms.contains(PosixFilePermission.OTHERS_WRITE) || perms.contains(PosixFilePermission.OTHERS_EXECUTE);
    }
}
