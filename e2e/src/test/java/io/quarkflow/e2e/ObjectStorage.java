package io.quarkflow.e2e;

import io.minio.GetObjectArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.StatObjectArgs;
import io.minio.errors.ErrorResponseException;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.OptionalLong;
import java.util.stream.Stream;

/**
 * The S3 server that artifact-service stores into: S3Proxy in this JVM, requests signed as on AWS, blobs in a
 * temporary directory that is deleted when it stops (on disk, not in memory: an artifact of several GiB, twice over
 * while a multipart upload is completed, would not fit in this JVM's heap). The MinIO client reads the bucket
 * directly, to show where the bytes went.
 */
final class ObjectStorage implements AutoCloseable {

    static final String BUCKET = "quarkflow-e2e";
    /** artifact-service keeps {@code mlflow-artifacts:/<path>} at {@code <PREFIX>/<path>}. */
    static final String PREFIX = "mlflow";
    static final String ACCESS_KEY = "e2e-access-key";
    static final String SECRET_KEY = "e2e-secret-key";

    private final S3Proxy proxy;
    private final Path blobs;
    private final MinioClient minio;

    private ObjectStorage(S3Proxy proxy, Path blobs, String endpoint) {
        this.proxy = proxy;
        this.blobs = blobs;
        this.minio = MinioClient.builder().endpoint(endpoint).credentials(ACCESS_KEY, SECRET_KEY).build();
    }

    /** The endpoint S3Proxy will serve on {@code port} once started. */
    static String endpoint(int port) {
        return "http://127.0.0.1:" + port;
    }

    /** Starts S3Proxy on a loopback port and creates the bucket; artifact-service expects it to exist. */
    static ObjectStorage start(int port) throws Exception {
        Path blobs = Files.createTempDirectory("quarkflow-e2e-s3");
        S3Proxy proxy = S3Proxy.builder()
                .blobStore(new FilesystemNio2BlobStore(blobs.toString()))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                .endpoint(URI.create(endpoint(port)))
                .build();
        proxy.start();
        while (!proxy.getState().equals("STARTED")) {
            Thread.sleep(10);
        }
        ObjectStorage storage = new ObjectStorage(proxy, blobs, endpoint(port));
        try {
            storage.minio.makeBucket(MakeBucketArgs.builder().bucket(BUCKET).build());
        } catch (Exception e) {
            storage.close();
            throw e;
        }
        return storage;
    }

    /** The object key of {@code mlflow-artifacts:/<artifactPath>}. */
    static String keyOf(String artifactPath) {
        return PREFIX + "/" + artifactPath;
    }

    /** The object's size, or empty when the bucket has no such object. */
    OptionalLong size(String key) throws Exception {
        try {
            return OptionalLong.of(minio.statObject(StatObjectArgs.builder().bucket(BUCKET).object(key).build()).size());
        } catch (ErrorResponseException e) {
            if (e.errorResponse().code().equals("NoSuchKey")) {
                return OptionalLong.empty();
            }
            throw e;
        }
    }

    /** The object's bytes as a stream; the caller closes it. */
    InputStream open(String key) throws Exception {
        return minio.getObject(GetObjectArgs.builder().bucket(BUCKET).object(key).build());
    }

    /** The directory S3Proxy keeps the bucket's blobs in, one file per object, for tests that watch all of it. */
    Path directory() {
        return blobs;
    }

    /** The bytes free where the blobs are kept. */
    long usableSpace() throws IOException {
        return Files.getFileStore(blobs).getUsableSpace();
    }

    @Override
    public void close() throws Exception {
        try {
            proxy.stop();
        } finally {
            try (Stream<Path> tree = Files.walk(blobs)) {
                for (Path path : tree.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
        }
    }
}
