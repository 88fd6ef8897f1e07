package io.quarkflow.images;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * An image's file system, unpacked as a container runtime does before it starts the entrypoint: the layers in order,
 * each over the ones below, with their modes and owners (owners only when run as root), and the few files a runtime
 * adds.
 */
final class ImageRootfs {

    private ImageRootfs() {
    }

    static void unpack(ImageArchive image, Path root) throws IOException {
        for (ImageArchive.Layer layer : image.layers()) {
            try (TarArchiveInputStream archive = new TarArchiveInputStream(
                    new BufferedInputStream(Files.newInputStream(image.tarball())))) {
                TarArchiveEntry file = archive.getNextEntry();
                while (file != null && !file.getName().equals(layer.blob())) {
                    file = archive.getNextEntry();
                }
                if (file == null) {
                    throw new IllegalStateException(image.tarball() + " lost layer " + layer.blob());
                }
                unpackLayer(ImageArchive.uncompressed(archive), root);
            }
        }
    }

    /**
     * What a container runtime adds to every container's files: a mount point for /proc and the device files
     * null, zero, random and urandom (without them Java's SecureRandom waits for entropy: seconds at every start).
     */
    static void addRuntimeFiles(Path root) throws IOException {
        Files.createDirectories(root.resolve("proc"));
        Files.createDirectories(root.resolve("dev"));
        Map<String, String> devices = Map.of("null", "3", "zero", "5", "random", "8", "urandom", "9"); // minor numbers
        for (Map.Entry<String, String> device : devices.entrySet()) {
            run("mknod", "-m", "666", root.resolve("dev").resolve(device.getKey()).toString(), "c", "1",
                    device.getValue());
        }
    }

    private static void unpackLayer(InputStream blob, Path root) throws IOException {
        boolean asRoot = "root".equals(System.getProperty("user.name"));
        TarArchiveInputStream layer = new TarArchiveInputStream(blob);
        for (TarArchiveEntry entry = layer.getNextEntry(); entry != null; entry = layer.getNextEntry()) {
            Path target = inside(root, entry.getName());
            if (target.getFileName() != null && target.getFileName().toString().startsWith(".wh.")) {
                throw new IllegalStateException("whiteouts are not expected in these images: " + entry.getName());
            }
            if (entry.isDirectory()) {
                Files.createDirectories(target);
            } else {
                Files.createDirectories(target.getParent());
                Files.deleteIfExists(target);
                if (entry.isSymbolicLink()) {
                    Files.createSymbolicLink(target, Path.of(entry.getLinkName()));
                    continue; // a symbolic link has no mode or owner of its own
                }
                if (entry.isLink()) {
                    Files.createLink(target, inside(root, entry.getLinkName()));
                } else {
                    Files.copy(layer, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
            Files.setPosixFilePermissions(target, permissions(entry.getMode()));
            if ((entry.getMode() & 07000) != 0) { // /tmp's sticky bit, which Java's file API cannot set
                run("chmod", Integer.toOctalString(entry.getMode() & 07777), target.toString());
            }
            if (asRoot) {
                Files.setAttribute(target, "unix:uid", (int) entry.getLongUserId());
                Files.setAttribute(target, "unix:gid", (int) entry.getLongGroupId());
            }
        }
    }

    /** The entry's place under the root; an entry that would land outside it is refused. */
    private static Path inside(Path root, String name) {
        Path target = root.resolve(name.replaceFirst("^/+", "")).normalize();
        if (!target.startsWith(root)) {
            throw new IllegalStateException("a layer entry outside the image's root: " + name);
        }
        return target;
    }

    private static void run(String... command) throws IOException {
        try {
            Process process = new ProcessBuilder(command).inheritIO().start();
            if (process.waitFor() != 0) {
                throw new IOException(String.join(" ", command) + " failed");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    /** The permission bits of a tar mode. */
    private static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> permissions = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] bits = {
            PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
            PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ,
        };
        for (int bit = 0; bit < bits.length; bit++) {
            if ((mode & (1 << bit)) != 0) {
                permissions.add(bits[bit]);
            }
        }
        return permissions;
    }
}
