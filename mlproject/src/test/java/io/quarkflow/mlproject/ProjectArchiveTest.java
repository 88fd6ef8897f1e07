package io.quarkflow.mlproject;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** No entry of a project archive may land outside the project directory. */
class ProjectArchiveTest {

    @TempDir
    Path dir;

    @Test
    void unpacksZipAndTarGz() throws IOException {
        Path zip = zip("project/MLproject", "name: demo");
        ProjectArchive.extract(zip, "zip", dir.resolve("z"));
        assertEquals("name: demo", Files.readString(dir.resolve("z/project/MLproject")));

        Path tar = tar(file("MLproject", "name: demo"), file("src/train.py", "print(1)"), link("latest", "src"));
        ProjectArchive.extract(tar, "tar.gz", dir.resolve("t"));
        assertEquals("print(1)", Files.readString(dir.resolve("t/src/train.py")));
        assertEquals("print(1)", Files.readString(dir.resolve("t/latest/train.py")), "a link inside is kept");
    }

    @Test
    void refusesEntriesThatClimbOut() throws IOException {
        assertRefused(zip("../evil.sh", "x"), "zip");
        assertRefused(zip("/etc/evil.sh", "x"), "zip");
        assertRefused(tar(file("a/../../evil.sh", "x")), "tar.gz");
        assertRefused(tar(file("/tmp/evil.sh", "x")), "tar.gz");
        assertFalse(Files.exists(dir.resolve("evil.sh")));
    }

    @Test
    void refusesLinksThatPointOutAndWritesThroughLinks() throws IOException {
        assertRefused(tar(link("etc", "/etc")), "tar.gz");
        assertRefused(tar(link("up", "../..")), "tar.gz");
        // A link that stays inside lexically but leads out through another link.
        assertRefused(tar(link("here", "."), link("sneaky", "here/.."), file("sneaky/x/evil.sh", "x")), "tar.gz");
        assertFalse(Files.exists(dir.resolve("x/evil.sh")));
    }

    private void assertRefused(Path archive, String format) {
        ProjectException refused = assertThrows(ProjectException.class,
                () -> ProjectArchive.extract(archive, format, dir.resolve("out-" + archive.getFileName())));
        assertTrue(refused.getMessage().startsWith("Unsafe project archive"), refused.getMessage());
    }

    private Path zip(String name, String content) throws IOException {
        Path zip = Files.createTempFile(dir, "archive", ".zip");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            out.putNextEntry(new ZipEntry(name));
            out.write(content.getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
        return zip;
    }

    private interface TarWriter {
        void write(TarArchiveOutputStream out) throws IOException;
    }

    private static TarWriter file(String name, String content) {
        return out -> {
            byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
            TarArchiveEntry entry = new TarArchiveEntry(name, true);
            entry.setSize(bytes.length);
            out.putArchiveEntry(entry);
            out.write(bytes);
            out.closeArchiveEntry();
        };
    }

    private static TarWriter link(String name, String target) {
        return out -> {
            TarArchiveEntry entry = new TarArchiveEntry(name, TarArchiveEntry.LF_SYMLINK, true);
            entry.setLinkName(target);
            out.putArchiveEntry(entry);
            out.closeArchiveEntry();
        };
    }

    private Path tar(TarWriter... entries) throws IOException {
        Path tar = Files.createTempFile(dir, "archive", ".tar.gz");
        try (OutputStream file = Files.newOutputStream(tar);
             TarArchiveOutputStream out = new TarArchiveOutputStream(new GZIPOutputStream(file))) {
            out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (TarWriter entry : entries) {
                entry.write(out);
            }
        }
        return tar;
    }
}
