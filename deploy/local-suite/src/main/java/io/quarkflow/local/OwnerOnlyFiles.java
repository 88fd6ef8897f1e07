package io.quarkflow.local;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;

/** Files that hold the local suite's secrets (its token, the run-token key): for their owner's eyes only. */
final class OwnerOnlyFiles {

    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private OwnerOnlyFiles() {
    }

    /** Creates the file with mode 0600 from the start, so the secret is never readable by others, not even briefly. */
    static void create(Path file, List<String> lines) throws IOException {
        String text = String.join("\n", lines) + "\n";
        if (!isPosix()) {
            Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW);
            return;
        }
        Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.TRUNCATE_EXISTING)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
    }

    /** Also when the file was copied in or its mode loosened since it was made. */
    static void restrict(Path file) throws IOException {
        if (isPosix()) {
            Files.setPosixFilePermissions(file, OWNER_ONLY);
        }
    }

    private static boolean isPosix() {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    }
}
