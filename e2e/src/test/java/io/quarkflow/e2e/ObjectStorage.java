package io.quarkflow.e2e;

import io.minio.GetObjectArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.StatObjectArgs;
import io.minio.errors.ErrorResponseException;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;

import java.io.InputStream;
import java.net.URI;
import java.util.OptionalLong;

/**
 * The S3 server that artifact-service stores into: S3Proxy in this JVM, blobs in memory, requests signed as on
 * AWS. The MinIO client reads the bucket directly, to show where the bytes went.
 */
final class ObjectStorage implements AutoCloseable {

    static final String BUCKET = "quarkflow-e2e";
    /** artifact-service keeps {@code mlflow-artifacts:/<path>} at {@code <PREFIX>/<path>}. */
    static final String PREFIX = "mlflow";
    static final String ACCESS_KEY = "e2e-access-key";
    static final String SECRET_KEY = "e2e-secret-key";

    private final S3Proxy proxy;
    private final MinioClient minio;

    private ObjectStorage(S3Proxy proxy, String endpoint) {
        this.proxy = proxy;
        this.minio = MinioClient.builder().endpoint(endpoint).credentials(ACCESS_KEY, SECRET_KEY).build();
    }

    /** The endpoint S3Proxy will serve on {@code port} once started. */
    static String endpoint(int port) {
        return "http://127.0.0.1:" + port;
    }

    /** Starts S3Proxy on a loopback port and creates the bucket; artifact-service expects it to exist. */
    static ObjectStorage start(int port) throws Exception {
        S3Proxy proxy = S3Proxy.builder()
                .blobStore(new TransientNio2BlobStore())
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                .endpoint(URI.create(endpoint(port)))
                .build();
        proxy.start();
        while (!proxy.getState().equals("STARTED")) {
            Thread.sleep(10);
        }
        ObjectStorage storage = new ObjectStorage(proxy, endpoint(port));
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

    @Override
    public void close() throws Exception {
        proxy.stop();
    }
}
