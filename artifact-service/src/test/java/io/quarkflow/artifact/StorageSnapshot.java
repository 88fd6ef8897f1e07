package io.quarkflow.artifact;

import io.minio.ListObjectsArgs;
import io.minio.MinioClient;
import io.minio.Result;
import io.minio.messages.Item;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Everything both backends hold, inside and outside the artifact root: every file under the test's base
 * directory (size and modification time, or a symlink's target) and every object in the bucket (ETag and size).
 * Equal snapshots before and after a request prove that it touched nothing.
 */
public final class StorageSnapshot {

    private static MinioClient client;
    private static String clientEndpoint = "";

    private StorageSnapshot() {
    }

    public static Map<String, String> take() {
        Config config = ConfigProvider.getConfig();
        Map<String, String> state = new TreeMap<>();
        Path base = Path.of(config.getValue(TestStorage.BASE_DIR, String.class));
        try (Stream<Path> paths = Files.walk(base)) {
            paths.forEach(path -> state.put("file " + base.relativize(path), describe(path)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (Result<Item> result : s3(config).listObjects(
                ListObjectsArgs.builder().bucket(TestStorage.BUCKET).recursive(true).build())) {
            try {
                Item item = result.get();
                state.put("s3 " + item.objectName(), item.etag() + " " + item.size());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        return state;
    }

    /** A MinIO client for the test S3 server; one per server, as each test profile starts its own. */
    public static synchronized MinioClient s3(Config config) {
        String endpoint = config.getValue("quarkflow.artifact.s3.endpoint", String.class);
        if (!endpoint.equals(clientEndpoint)) {
            client = MinioClient.builder().endpoint(endpoint)
                    .credentials(TestStorage.ACCESS_KEY, TestStorage.SECRET_KEY).build();
            clientEndpoint = endpoint;
        }
        return client;
    }

    private static String describe(Path path) {
        try {
            if (Files.isSymbolicLink(path)) {
                return "link to " + Files.readSymbolicLink(path);
            }
            if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
                return "directory";
            }
            return Files.size(path) + " bytes, modified " + Files.getLastModifiedTime(path).toInstant();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
