package io.msyspg.console.core.common;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The one way the console writes its JSON files (settings, job journals, backup history): to a temporary file
 * beside the target, owner-only, then renamed over it, so a reader (or a crash) never sees half a file.
 */
public final class JsonFiles {
    private JsonFiles() {}

    public static void writeAtomically(ObjectMapper mapper, Path file, Object value) throws IOException {
        AppDirs.ensure(file.getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        mapper.writeValue(tmp.toFile(), value);
        FilePermissions.ownerOnly(tmp);
        try {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
