package io.quarkflow.artifact;

import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Both storage backends for the test run: a real S3 server (S3Proxy in-process, in-memory blobs, SigV2/V4
 * authentication), whose bucket the MinIO SDK creates, and a temporary directory for the local backend. Each
 * holds "secret" files outside the artifact root, which no request may read, change or delete.
 */
@QuarkusTestResource(StorageResource.class)
public class StorageResource implements QuarkusTestResourceLifecycleManager {

    private S3Proxy s3Proxy;

    @Override
    public Map<String, String> start() {
        try {
            Path base = Files.createTempDirectory("quarkflow-artifact-test");
            Path root = Files.createDirectories(base.resolve("root"));
            Files.writeString(base.resolve("secret.txt"), "outside the local root");
            Files.writeString(Files.createDirectories(base.resolve("outside")).resolve("secret.txt"), "outside too");
            s3Proxy = S3Proxy.builder()
                    .blobStore(new TransientNio2BlobStore())
                    .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, TestStorage.ACCESS_KEY, TestStorage.SECRET_KEY)
                    .endpoint(URI.create("http://127.0.0.1:0"))
                    .build();
            s3Proxy.start();
            while (!s3Proxy.getState().equals("STARTED")) {
                Thread.sleep(10);
            }
            String endpoint = "http://127.0.0.1:" + s3Proxy.getPort();
            createBucketWithSecrets(endpoint);
            return Map.of(
                    TestStorage.BASE_DIR, base.toString(),
                    "quarkflow.artifact.local.root", root.toString(),
                    "quarkflow.artifact.s3.endpoint", endpoint,
                    "quarkflow.artifact.s3.bucket", TestStorage.BUCKET,
                    "quarkflow.artifact.s3.prefix", TestStorage.PREFIX,
                    "quarkflow.artifact.s3.access-key", TestStorage.ACCESS_KEY,
                    "quarkflow.artifact.s3.secret-key", TestStorage.SECRET_KEY,
                    // S3's smallest part, so a 12 MB upload of unknown length goes up in several parts.
                    "quarkflow.artifact.s3.part-size", "5M");
        } catch (Exception e) {
            throw new IllegalStateException("Could not start the test storage", e);
        }
    }

    @Override
    public void stop() {
        if (s3Proxy != null) {
            try {
                s3Proxy.stop();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** Objects beside the artifact prefix: "mlflowx/" shares its first letters, a classic prefix-check bypass. */
    private static void createBucketWithSecrets(String endpoint) throws Exception {
        MinioClient minio = MinioClient.builder().endpoint(endpoint)
                .credentials(TestStorage.ACCESS_KEY, TestStorage.SECRET_KEY).build();
        minio.makeBucket(MakeBucketArgs.builder().bucket(TestStorage.BUCKET).build());
        for (String key : new String[] {"secret.txt", "outside/secret.txt", TestStorage.PREFIX + "x/secret.txt"}) {
            byte[] bytes = ("secret at " + key).getBytes(StandardCharsets.UTF_8);
            minio.putObject(PutObjectArgs.builder().bucket(TestStorage.BUCKET).object(key)
                    .stream(new ByteArrayInputStream(bytes), bytes.length, -1).build());
        }
    }
}
