package io.quarkflow.images;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * An image as {@code docker save} writes it, and Jib's buildTar: manifest.json (tags, config file, layer files in
 * order), the config (user, entrypoint, ports, history) and the layers, each a tar, gzipped or not. Reading it checks
 * what {@code docker load} checks: every layer's uncompressed digest is the diff id the config names.
 */
record ImageArchive(Path tarball, List<String> repoTags, JsonNode config, List<Layer> layers) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One layer: its name (the comment of its history entry: Jib writes the layer's name there), its file in the
     * archive, and its entries by path inside the image, without a leading "/" or "./" ("deployments/quarkus-run.jar").
     */
    record Layer(String name, String blob, Map<String, Entry> entries) {
    }

    /** A tar entry of a layer. */
    record Entry(String path, long size, int mode, long uid, boolean directory) {
    }

    static ImageArchive read(Path tarball) throws IOException {
        Map<String, byte[]> jsonFiles = new HashMap<>();
        Map<String, ReadLayer> layerFiles = new HashMap<>();
        try (TarArchiveInputStream archive = new TarArchiveInputStream(
                new BufferedInputStream(Files.newInputStream(tarball)))) {
            for (TarArchiveEntry file = archive.getNextEntry(); file != null; file = archive.getNextEntry()) {
                if (file.getName().endsWith(".json")) {
                    jsonFiles.put(file.getName(), archive.readAllBytes());
                } else if (file.isFile()) {
                    layerFiles.put(file.getName(), readLayer(archive));
                }
            }
        }
        JsonNode manifest = JSON.readTree(jsonFiles.get("manifest.json")).get(0);
        JsonNode config = JSON.readTree(jsonFiles.get(manifest.get("Config").asText()));
        List<String> names = layerNames(config);
        JsonNode diffIds = config.get("rootfs").get("diff_ids");
        List<Layer> layers = new ArrayList<>();
        for (int i = 0; i < manifest.get("Layers").size(); i++) {
            String blob = manifest.get("Layers").get(i).asText();
            ReadLayer layer = layerFiles.get(blob);
            if (layer == null) {
                throw new IllegalStateException(tarball + " names layer " + blob + ", which it does not hold");
            }
            if (!diffIds.get(i).asText().equals(layer.diffId())) {
                throw new IllegalStateException(tarball + ": layer " + blob + " has diff id " + layer.diffId()
                        + ", its config says " + diffIds.get(i).asText());
            }
            layers.add(new Layer(names.get(i), blob, layer.entries()));
        }
        List<String> tags = new ArrayList<>();
        manifest.get("RepoTags").forEach(tag -> tags.add(tag.asText()));
        return new ImageArchive(tarball, List.copyOf(tags), config, List.copyOf(layers));
    }

    /** The config's "config" object: User, Entrypoint, ExposedPorts, Env, WorkingDir, Labels. */
    JsonNode runConfig() {
        return config.get("config");
    }

    /** The layer of that name; fails when there is none. */
    Layer layer(String name) {
        return layers.stream().filter(layer -> layer.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no layer named " + name + " in " + layerNamesInOrder()));
    }

    List<String> layerNamesInOrder() {
        return layers.stream().map(Layer::name).toList();
    }

    /** History entries marked empty_layer made no layer; the others are the layers, in order. */
    private static List<String> layerNames(JsonNode config) {
        List<String> names = new ArrayList<>();
        for (JsonNode entry : config.path("history")) {
            if (!entry.path("empty_layer").asBoolean(false)) {
                names.add(entry.path("comment").asText(entry.path("created_by").asText("")));
            }
        }
        return names;
    }

    private record ReadLayer(String diffId, Map<String, Entry> entries) {
    }

    /** A layer file's tar, which Jib gzips and {@code docker save} does not. */
    static InputStream uncompressed(InputStream blob) throws IOException {
        BufferedInputStream buffered = new BufferedInputStream(blob);
        buffered.mark(2);
        boolean gzipped = buffered.read() == 0x1f && buffered.read() == 0x8b;
        buffered.reset();
        return gzipped ? new GZIPInputStream(buffered, 65536) : buffered;
    }

    /** Lists a layer's entries while its uncompressed bytes go through the digest. */
    private static ReadLayer readLayer(InputStream blob) throws IOException {
        DigestInputStream uncompressed = new DigestInputStream(uncompressed(blob), sha256());
        Map<String, Entry> entries = new LinkedHashMap<>();
        TarArchiveInputStream layer = new TarArchiveInputStream(uncompressed);
        for (TarArchiveEntry file = layer.getNextEntry(); file != null; file = layer.getNextEntry()) {
            String path = file.getName().replaceFirst("^\\./", "").replaceFirst("^/", "").replaceFirst("/$", "");
            if (!path.isEmpty() && !path.equals(".")) {
                entries.put(path, new Entry(path, file.getSize(), file.getMode(), file.getLongUserId(),
                        file.isDirectory()));
            }
        }
        uncompressed.transferTo(OutputStream.nullOutputStream()); // tar's end-of-archive padding counts too
        return new ReadLayer("sha256:" + HexFormat.of().formatHex(uncompressed.getMessageDigest().digest()),
                Map.copyOf(entries));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
