package io.quarkflow.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The packed project: what goes in, what stays out, and bytes that depend on the content alone. */
class ProjectArchiveTest {

    @TempDir
    Path temp;

    /** A tar entry as read back. */
    record Entry(String name, char type, int mode, long mtime, int uid, int gid, String uname, String content) {
    }

    @Test
    void theSameContentGivesTheSameBytesWhateverTheTimesAndTheOrderOfCreation() throws Exception {
        Path first = temp.resolve("a/project");
        Path second = temp.resolve("b/project");
        write(first, "MLproject", "name: p\n");
        write(first, "src/train.py", "print(1)\n");
        write(first, "src/util/helpers.py", "x = 1\n");
        write(first, "data.csv", "1,2\n");
        write(second, "src/util/helpers.py", "x = 1\n");
        write(second, "data.csv", "1,2\n");
        write(second, "src/train.py", "print(1)\n");
        write(second, "MLproject", "name: p\n");
        Files.setLastModifiedTime(second.resolve("data.csv"), FileTime.fromMillis(1_000_000));
        Files.setLastModifiedTime(second.resolve("src"), FileTime.fromMillis(2_000_000));

        ProjectArchive one = ProjectArchive.pack(first);
        ProjectArchive other = ProjectArchive.pack(second);
        assertArrayEquals(one.bytes(), other.bytes());
        assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(one.bytes())), one.sha256());
        assertEquals("projects/sha256-" + one.sha256() + "/project.tar.gz", one.uploadPath(first));

        write(second, "data.csv", "1,3\n");
        assertNotEquals(one.sha256(), ProjectArchive.pack(second).sha256(), "another content, another name");
    }

    @Test
    void entriesAreFilesInWalkOrderWithoutTimesOwnersOrNames() throws IOException {
        Path project = temp.resolve("project");
        write(project, "b.txt", "b");
        write(project, "a/z.txt", "z");
        write(project, "a/b/c.txt", "c");
        write(project, "MLproject", "name: p\n");
        write(project, "run.sh", "echo hi\n");
        Files.setPosixFilePermissions(project.resolve("run.sh"), PosixFilePermissions.fromString("rwxr-x---"));
        Files.setPosixFilePermissions(project.resolve("b.txt"), PosixFilePermissions.fromString("rw-------"));

        List<Entry> entries = read(ProjectArchive.pack(project).bytes());
        assertEquals(List.of("MLproject", "b.txt", "run.sh", "a/z.txt", "a/b/c.txt"),
                entries.stream().map(Entry::name).toList(), "a directory's files sorted, then its directories");
        for (Entry entry : entries) {
            assertEquals('0', entry.type(), entry.name());
            assertEquals(0, entry.mtime(), entry.name());
            assertEquals(0, entry.uid(), entry.name());
            assertEquals(0, entry.gid(), entry.name());
            assertEquals("", entry.uname(), entry.name());
        }
        assertEquals(0755, entries.get(2).mode(), "executable stays executable");
        assertEquals(0644, entries.get(1).mode(), "anything else is 644");
        assertEquals("c", entries.get(4).content());
    }

    @Test
    void skippedDirectoriesAndLinksStayOut() throws IOException {
        Path outside = temp.resolve("outside");
        write(outside, "secret.txt", "not for the server");
        Path project = temp.resolve("project");
        write(project, "MLproject", "name: p\n");
        for (String skipped : List.of(".git", ".venv", "venv", "__pycache__", "mlruns", ".mlflow")) {
            write(project, skipped + "/file", "skipped");
            write(project, "sub/" + skipped + "/file", "skipped at any depth");
        }
        write(project, "sub/kept.py", "kept");
        write(project, "venv.txt", "a file of that name is no environment");
        Files.createSymbolicLink(project.resolve("link-to-secret"), outside.resolve("secret.txt"));
        Files.createSymbolicLink(project.resolve("link-to-outside"), outside);
        Files.createSymbolicLink(project.resolve("sub/parent"), Path.of(".."));

        List<String> names = read(ProjectArchive.pack(project).bytes()).stream().map(Entry::name).toList();
        assertEquals(List.of("MLproject", "venv.txt", "sub/kept.py"), names);
        for (String name : names) {
            assertFalse(name.startsWith("/") || List.of(name.split("/")).contains(".."), name);
        }
    }

    @Test
    void longAndNonAsciiNamesGoInPaxHeaders() throws IOException {
        Path project = temp.resolve("project");
        String deep = "d".repeat(60) + "/" + "e".repeat(60) + "/file.txt";
        write(project, deep, "deep");
        write(project, "données.csv", "1");

        List<Entry> entries = read(ProjectArchive.pack(project).bytes());
        assertEquals(List.of("données.csv", deep), entries.stream().map(Entry::name).toList());
        assertEquals("deep", entries.get(1).content());
    }

    /**
     * The tar that clients/python's archive.py writes for the same directory (Python 3.11), so that both clients
     * upload one archive under one name. The gzip around it is left out: its bytes depend on the zlib at hand.
     */
    @Test
    void theTarIsTheOnePythonsTarfileWrites() throws Exception {
        Path project = temp.resolve("golden");
        write(project, "MLproject", "name: p\n");
        write(project, "run.sh", "echo hi\n");
        Files.setPosixFilePermissions(project.resolve("run.sh"), PosixFilePermissions.fromString("rwxr-xr-x"));
        write(project, "sub/données.csv", "1\n");
        write(project, "d".repeat(60) + "/" + "e".repeat(60) + "/file.txt", "deep\n");

        byte[] tar;
        try (InputStream gzip = new GZIPInputStream(new ByteArrayInputStream(ProjectArchive.pack(project).bytes()))) {
            tar = gzip.readAllBytes();
        }
        assertEquals("bb422cee7151ad8b87fa946d34103a801667b2107cec7008932f83005f41fac1",
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(tar)));
    }

    @Test
    void theUploadIsNamedAfterTheDirectoryInCharactersAnyUriTakes() throws IOException {
        Path project = temp.resolve("my project#1");
        write(project, "MLproject", "name: p\n");
        ProjectArchive archive = ProjectArchive.pack(project);
        assertEquals("projects/sha256-" + archive.sha256() + "/my_project_1.tar.gz", archive.uploadPath(project));
        assertTrue(archive.uploadPath(project.resolve("..").resolve("my project#1")).endsWith("/my_project_1.tar.gz"));
    }

    private static void write(Path root, String name, String content) throws IOException {
        Path file = root.resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }

    /** A small ustar reader that checks each header's checksum and applies PAX paths. */
    static List<Entry> read(byte[] archive) throws IOException {
        List<Entry> entries = new ArrayList<>();
        byte[] plain;
        try (InputStream gzip = new GZIPInputStream(new ByteArrayInputStream(archive))) {
            plain = gzip.readAllBytes();
        }
        assertEquals(0, plain.length % (20 * 512), "whole records of 20 blocks, as tar writes them");
        try (DataInputStream tar = new DataInputStream(new ByteArrayInputStream(plain))) {
            String paxPath = null;
            while (true) {
                byte[] header = new byte[512];
                tar.readFully(header);
                if (header[0] == 0) {
                    break;
                }
                long sum = 0;
                for (int i = 0; i < 512; i++) {
                    sum += i >= 148 && i < 156 ? ' ' : header[i] & 0xff;
                }
                assertEquals(sum, octal(header, 148, 8), "checksum");
                assertEquals("ustar\0", text(header, 257, 6, false));
                long size = octal(header, 124, 12);
                byte[] content = new byte[(int) size];
                tar.readFully(content);
                tar.readFully(new byte[(int) ((512 - size % 512) % 512)]);
                char type = (char) header[156];
                if (type == 'x') {
                    String record = new String(content, StandardCharsets.UTF_8);
                    assertEquals(record.length() == 0 ? 0 : Integer.parseInt(record.substring(0, record.indexOf(' '))),
                            content.length, "the record's length counts itself");
                    paxPath = record.substring(record.indexOf("path=") + 5, record.length() - 1);
                    continue;
                }
                String name = paxPath != null ? paxPath : text(header, 0, 100, true);
                paxPath = null;
                entries.add(new Entry(name, type, (int) octal(header, 100, 8), octal(header, 136, 12),
                        (int) octal(header, 108, 8), (int) octal(header, 116, 8), text(header, 265, 32, true),
                        new String(content, StandardCharsets.UTF_8)));
            }
        }
        return entries;
    }

    private static long octal(byte[] header, int offset, int length) {
        String digits = text(header, offset, length, true).trim();
        return digits.isEmpty() ? 0 : Long.parseLong(digits, 8);
    }

    private static String text(byte[] header, int offset, int length, boolean toNul) {
        int end = offset;
        while (toNul && end < offset + length && header[end] != 0) {
            end++;
        }
        return new String(header, offset, (toNul ? end : offset + length) - offset, StandardCharsets.UTF_8);
    }
}
