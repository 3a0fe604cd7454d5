package io.msyspg.console.core.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The mount table ({@code /proc/self/mounts}, or any file in that format for tests): which file system
 * holds a path, and whether it is a network file system (PostgreSQL on NFS risks corruption on a lost
 * lock or a soft mount; the PostgreSQL docs ask for hard mounts at least).
 */
public final class MountTable {
    public static final Path PROC_MOUNTS = Path.of("/proc/self/mounts");
    static final Set<String> NETWORK = Set.of("nfs", "nfs4", "cifs", "smbfs", "smb3", "fuse.sshfs", "glusterfs", "ceph", "9p", "afs");

    public record Mount(String device, Path mountPoint, String type, String options) {
        public boolean network() {
            return NETWORK.contains(type) || type.startsWith("nfs");
        }
    }

    private final List<Mount> mounts;

    private MountTable(List<Mount> mounts) {
        this.mounts = mounts;
    }

    public static MountTable read(Path file) {
        List<Mount> out = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(file)) {
                String[] f = line.trim().split("\\s+");
                if (f.length < 4) continue;
                out.add(new Mount(unescape(f[0]), Path.of(unescape(f[1])), f[2], f[3]));
            }
        } catch (IOException e) {
            // no mount table (not Linux): nothing to warn about
        }
        return new MountTable(out);
    }

    /** Octal escapes of the kernel's mount table: {@code \040} is a space. */
    static String unescape(String s) {
        if (s.indexOf('\\') < 0) return s;
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 3 < s.length() + 0 && s.substring(i + 1, Math.min(s.length(), i + 4)).matches("[0-7]{3}")) {
                sb.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    public List<Mount> mounts() { return mounts; }

    /** The mount holding {@code path} (the longest mount point that contains it; the last one mounted wins). */
    public Optional<Mount> mountOf(Path path) {
        Path p = path.toAbsolutePath().normalize();
        try {
            p = p.toRealPath();
        } catch (IOException ignored) {
            // not resolvable (a test path): use it as given
        }
        Mount best = null;
        for (Mount m : mounts) {
            if (p.startsWith(m.mountPoint())
                    && (best == null || m.mountPoint().getNameCount() >= best.mountPoint().getNameCount())) {
                best = m;
            }
        }
        return Optional.ofNullable(best);
    }
}
