package io.quarkflow.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

/**
 * A project directory as a .tar.gz, as clients/python's archive.py packs it: regular files only, without version
 * control data and local environments (skipped directories at any depth) and without symbolic links (a link could
 * point anywhere on this machine). The bytes depend on the content alone (entries in walk order with names sorted,
 * mtime 0, owner 0 without names, mode 644 or 755; Java's gzip header has no time), so the same directory gives the
 * same name and the server can reuse a finished workflow step.
 *
 * @param bytes  the .tar.gz
 * @param sha256 hex of the bytes' SHA-256
 */
record ProjectArchive(byte[] bytes, String sha256) {

    static final Set<String> SKIPPED = Set.of(".git", ".venv", "venv", "__pycache__", "mlruns", ".mlflow");
    private static final int BLOCK = 512;
    /** tar's default blocking factor: the archive ends on a record of 20 blocks, as Python and GNU tar end it. */
    private static final int RECORD = 20 * BLOCK;
    /** The largest size an octal size field holds; no project file comes near. */
    private static final long MAX_SIZE = 077777777777L;

    static ProjectArchive pack(Path directory) {
        try {
            ByteArrayOutputStream buffer = new ByteArrayOutputStream();
            try (GZIPOutputStream gzip = new GZIPOutputStream(buffer)) {
                Tar tar = new Tar(gzip);
                walk(directory, "", tar);
                tar.finish();
            }
            byte[] bytes = buffer.toByteArray();
            return new ProjectArchive(bytes, HexFormat.of().formatHex(sha256(bytes)));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot pack " + directory + ": " + e.getMessage(), e);
        }
    }

    /** {@code projects/sha256-<hex>/<directory name>.tar.gz}: the content names the upload. */
    String uploadPath(Path directory) {
        Path name = directory.toAbsolutePath().normalize().getFileName();
        String base = name == null ? "project" : name.toString().replaceAll("[^A-Za-z0-9._-]", "_");
        return "projects/sha256-" + sha256 + "/" + base + ".tar.gz";
    }

    /** Like Python's os.walk with sorted names: a directory's files, then each subdirectory in turn. */
    private static void walk(Path directory, String prefix, Tar tar) throws IOException {
        List<Path> children;
        try (Stream<Path> list = Files.list(directory)) {
            children = new ArrayList<>(list.sorted((a, b) -> a.getFileName().toString()
                    .compareTo(b.getFileName().toString())).toList());
        }
        List<Path> directories = new ArrayList<>();
        for (Path child : children) {
            if (Files.isSymbolicLink(child)) {
                continue;
            }
            String name = child.getFileName().toString();
            if (Files.isDirectory(child, LinkOption.NOFOLLOW_LINKS)) {
                if (!SKIPPED.contains(name)) {
                    directories.add(child);
                }
            } else if (Files.isRegularFile(child, LinkOption.NOFOLLOW_LINKS)) {
                tar.file(prefix + name, Files.readAllBytes(child), ownerMayExecute(child));
            }
        }
        for (Path child : directories) {
            walk(child, prefix + child.getFileName() + "/", tar);
        }
    }

    private static boolean ownerMayExecute(Path file) throws IOException {
        if (Files.getFileStore(file).supportsFileAttributeView(PosixFileAttributeView.class)) {
            return Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS)
                    .contains(PosixFilePermission.OWNER_EXECUTE);
        }
        return Files.isExecutable(file);
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every JVM has SHA-256", e);
        }
    }

    /**
     * The ustar format, with a PAX header for a name that ustar cannot hold (long or not ASCII), field by field as
     * Python's tarfile writes it (no device numbers for files): both clients upload the same bytes.
     */
    private static final class Tar {

        private final OutputStream out;
        private long written;

        Tar(OutputStream out) {
            this.out = out;
        }

        void file(String name, byte[] content, boolean executable) throws IOException {
            if (name.startsWith("/") || Arrays.asList(name.split("/")).contains("..")) {
                throw new IllegalArgumentException("Not a path inside the project: " + name);
            }
            if (content.length > MAX_SIZE) {
                throw new IOException(name + " is too large for a project archive");
            }
            byte[] utf8 = name.getBytes(StandardCharsets.UTF_8);
            String headerName = name;
            if (utf8.length > 100 || !StandardCharsets.US_ASCII.newEncoder().canEncode(name)) {
                byte[] record = paxRecord("path", name);
                entry("././@PaxHeader", 'x', 0, record);
                String ascii = name.replaceAll("[^\\x00-\\x7f]", "?");
                headerName = ascii.substring(0, Math.min(100, ascii.length()));
            }
            entry(headerName, '0', executable ? 0755 : 0644, content);
        }

        void finish() throws IOException {
            pad(2L * BLOCK);
            long end = ((written + RECORD - 1) / RECORD) * RECORD;
            pad(end - written);
        }

        private void entry(String name, char type, int mode, byte[] content) throws IOException {
            byte[] header = new byte[BLOCK];
            put(header, 0, 100, name.getBytes(StandardCharsets.US_ASCII));
            octal(header, 100, 8, mode);
            octal(header, 108, 8, 0);
            octal(header, 116, 8, 0);
            octal(header, 124, 12, content.length);
            octal(header, 136, 12, 0);
            Arrays.fill(header, 148, 156, (byte) ' ');
            header[156] = (byte) type;
            put(header, 257, 6, "ustar\0".getBytes(StandardCharsets.US_ASCII));
            put(header, 263, 2, "00".getBytes(StandardCharsets.US_ASCII));
            long checksum = 0;
            for (byte b : header) {
                checksum += b & 0xff;
            }
            octal(header, 148, 7, checksum);
            header[155] = ' ';
            out.write(header);
            out.write(content);
            written += BLOCK + content.length;
            pad((BLOCK - content.length % BLOCK) % BLOCK);
        }

        private void pad(long count) throws IOException {
            out.write(new byte[(int) count]);
            written += count;
        }

        /** {@code "<length> key=value\n"}, where the length counts itself. */
        private static byte[] paxRecord(String key, String value) {
            int rest = (" " + key + "=" + value + "\n").getBytes(StandardCharsets.UTF_8).length;
            int length = rest + String.valueOf(rest).length();
            if (String.valueOf(length).length() != String.valueOf(rest).length()) {
                length++;
            }
            return (length + " " + key + "=" + value + "\n").getBytes(StandardCharsets.UTF_8);
        }

        private static void put(byte[] header, int offset, int length, byte[] value) {
            System.arraycopy(value, 0, header, offset, Math.min(length, value.length));
        }

        /** Zero-padded octal digits and a NUL, filling the field. */
        private static void octal(byte[] header, int offset, int length, long value) {
            String digits = Long.toOctalString(value);
            String field = "0".repeat(length - 1 - digits.length()) + digits;
            put(header, offset, length - 1, field.getBytes(StandardCharsets.US_ASCII));
            header[offset + length - 1] = 0;
        }
    }
}
