package io.quarkflow.mlproject;

import io.quarkflow.mlflow.errors.Python;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Unpacks a project archive (.zip or .tar.gz) into a directory so that nothing lands outside it: absolute entry
 * names, {@code ..} segments, symbolic links that point outside, and hard links are refused, and every file is
 * written only after its parent's real path was checked to lie inside the target (a link planted earlier cannot
 * redirect a later entry). Zip entries are always regular files here, links included. Blocking.
 */
public final class ProjectArchive {

    private static final String ARTIFACTS_SCHEME = "mlflow-artifacts";

    private ProjectArchive() {
    }

    /** {@code zip} or {@code tar.gz}, from the archive's name. */
    public static String format(String archiveUri) {
        String name = archiveUri == null ? "" : archiveUri.toLowerCase(Locale.ROOT);
        if (name.endsWith(".zip")) {
            return "zip";
        }
        if (name.endsWith(".tar.gz") || name.endsWith(".tgz")) {
            return "tar.gz";
        }
        throw new ProjectException("Archive " + Python.repr(String.valueOf(archiveUri))
                + " is neither a .zip nor a .tar.gz");
    }

    /**
     * Where the artifact proxy (artifact-service, or the gateway in front of it) serves an {@code mlflow-artifacts:}
     * archive: {@code /api/2.0/mlflow-artifacts/artifacts/<path>}, each path segment percent-encoded, {@code .} and
     * {@code ..} refused. Only such archives are read: a server that fetched any URL would reach what its users
     * cannot.
     */
    public static String downloadPath(String archiveUri) {
        URI uri;
        try {
            uri = new URI(archiveUri == null ? "" : archiveUri);
        } catch (URISyntaxException e) {
            throw new ProjectException("Invalid archive URI " + Python.repr(String.valueOf(archiveUri)));
        }
        if (!ARTIFACTS_SCHEME.equals(uri.getScheme()) || uri.getPath() == null) {
            throw new ProjectException("Project archives are read through the artifact proxy: "
                    + Python.repr(archiveUri) + " is not an mlflow-artifacts: URI");
        }
        List<String> encoded = new ArrayList<>();
        for (String segment : uri.getPath().split("/")) {
            if (segment.equals("..") || segment.equals(".")) {
                throw new ProjectException("Invalid archive URI " + Python.repr(archiveUri));
            }
            if (!segment.isEmpty()) {
                encoded.add(URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20"));
            }
        }
        if (encoded.isEmpty()) {
            throw new ProjectException("Archive URI " + Python.repr(archiveUri) + " names no file");
        }
        return "/api/2.0/mlflow-artifacts/artifacts/" + String.join("/", encoded);
    }

    public static void extract(Path archive, String format, Path target) throws IOException {
        Files.createDirectories(target);
        Path root = target.toRealPath();
        try (InputStream in = new BufferedInputStream(Files.newInputStream(archive))) {
            if (format.equals("zip")) {
                unzip(in, root);
            } else {
                untar(in, root);
            }
        }
    }

    private static void unzip(InputStream in, Path root) throws IOException {
        try (ZipInputStream zip = new ZipInputStream(in)) {
            for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
                Path path = inside(root, entry.getName());
                if (entry.isDirectory()) {
                    createDirectories(root, path);
                } else {
                    write(root, path, zip);
                }
            }
        }
    }

    private static void untar(InputStream in, Path root) throws IOException {
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new GZIPInputStream(in))) {
            for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
                Path path = inside(root, entry.getName());
                if (entry.isDirectory()) {
                    createDirectories(root, path);
                } else if (entry.isSymbolicLink()) {
                    Path linkTarget = path.getParent().resolve(entry.getLinkName()).normalize();
                    if (entry.getLinkName().startsWith("/") || !linkTarget.startsWith(root)) {
                        throw refused(entry.getName() + " links to " + entry.getLinkName() + ", outside the project");
                    }
                    createDirectories(root, path.getParent());
                    Files.createSymbolicLink(path, Path.of(entry.getLinkName()));
                } else if (entry.isLink()) {
                    throw refused(entry.getName() + " is a hard link");
                } else if (entry.isFile()) {
                    write(root, path, tar);
                    if ((entry.getMode() & 0100) != 0) {
                        path.toFile().setExecutable(true, false);
                    }
                }
                // Devices, FIFOs and the like are skipped: a project needs none.
            }
        }
    }

    /** The entry's path under the root; absolute names and names that climb out are refused. */
    static Path inside(Path root, String name) {
        if (name.startsWith("/") || name.startsWith("\\") || name.matches("^[A-Za-z]:.*")) {
            throw refused(name + " is an absolute path");
        }
        for (String segment : name.split("[/\\\\]")) {
            if (segment.equals("..")) {
                throw refused(name + " leaves the project directory");
            }
        }
        Path path = root.resolve(name).normalize();
        if (!path.startsWith(root) || path.equals(root)) {
            throw refused(name + " leaves the project directory");
        }
        return path;
    }

    private static void createDirectories(Path root, Path directory) throws IOException {
        Path existing = directory;
        while (!Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (!existing.toRealPath().startsWith(root)) {
            throw refused(root.relativize(directory) + " resolves outside the project directory");
        }
        Files.createDirectories(directory);
        if (!directory.toRealPath().startsWith(root)) {
            throw refused(root.relativize(directory) + " resolves outside the project directory");
        }
    }

    private static void write(Path root, Path file, InputStream content) throws IOException {
        createDirectories(root, file.getParent());
        if (Files.isSymbolicLink(file)) {
            throw refused(root.relativize(file) + " would be written through a symbolic link");
        }
        Files.copy(content, file, StandardCopyOption.REPLACE_EXISTING);
    }

    private static ProjectException refused(String why) {
        return new ProjectException("Unsafe project archive: " + why);
    }
}
