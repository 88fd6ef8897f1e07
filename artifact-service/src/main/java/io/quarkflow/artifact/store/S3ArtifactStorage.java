package io.quarkflow.artifact.store;

import io.minio.BucketExistsArgs;
import io.minio.GetObjectArgs;
import io.minio.GetObjectResponse;
import io.minio.GetPresignedObjectUrlArgs;
import io.minio.ListObjectsArgs;
import io.minio.MinioAsyncClient;
import io.minio.ObjectWriteArgs;
import io.minio.PutObjectArgs;
import io.minio.RemoveObjectArgs;
import io.minio.RemoveObjectsArgs;
import io.minio.Result;
import io.minio.errors.ErrorResponseException;
import io.minio.http.Method;
import io.minio.messages.DeleteError;
import io.minio.messages.DeleteObject;
import io.minio.messages.Item;
import io.minio.messages.Part;
import io.quarkflow.artifact.domain.ArtifactKeys;
import io.quarkflow.mlflow.errors.MlflowException;
import io.quarkflow.artifact.domain.TransferMethod;
import io.quarkflow.artifact.domain.UploadedPart;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** Artifacts as objects of one bucket under a key prefix, through the MinIO Java SDK. */
public class S3ArtifactStorage implements ArtifactStorage, PresigningStorage {

    /** The most keys one S3 DeleteObjects request takes. */
    private static final int DELETE_BATCH = 1000;
    private static final long READINESS_TIMEOUT_SECONDS = 3;
    private static final long MIB = 1024 * 1024;
    /** S3's limit on an object key, in UTF-8 bytes. */
    private static final int MAX_KEY_BYTES = 1024;

    private final MinioAsyncClient client;
    private final MinioAsyncClient presigner;
    private final String bucket;
    private final String prefix;
    private final String region;
    private final long partSize;

    /**
     * @param presigner signs URLs for the endpoint clients reach; the same client unless storage sits behind
     *                  another host name for them. Signing happens offline because the region is given.
     */
    public S3ArtifactStorage(MinioAsyncClient client, MinioAsyncClient presigner, String bucket, String prefix,
                             String region, long partSize) {
        this.client = client;
        this.presigner = presigner;
        this.bucket = bucket;
        this.prefix = prefix;
        this.region = region;
        this.partSize = partSize;
    }

    @Override
    public String problem() {
        try {
            boolean exists = client.bucketExists(BucketExistsArgs.builder().bucket(bucket).build())
                    .get(READINESS_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            return exists ? null : "the bucket " + bucket + " does not exist";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        } catch (Exception e) {
            return "S3 does not answer: " + (e.getCause() != null ? e.getCause() : e);
        }
    }

    @Override
    public ArtifactContent read(String key) {
        GetObjectResponse object = call(key, () -> client.getObject(
                GetObjectArgs.builder().bucket(bucket).object(objectName(key)).build()).get());
        String length = object.headers().get("Content-Length");
        return new ArtifactContent(object, length == null ? -1 : Long.parseLong(length));
    }

    /** The SDK sends the stream in parts, so memory stays at about one part per upload. */
    @Override
    public void write(String key, InputStream content, long size) {
        call(key, () -> client.putObject(PutObjectArgs.builder().bucket(bucket).object(objectName(key))
                .stream(content, size, partSize(size, partSize)).build()).get());
    }

    /**
     * The configured part size, unless a file of known size would need more than S3's 10,000 parts (over 156 GiB with
     * 16 MiB parts): then the smallest whole MiB that fits, 525 MiB for S3's largest object (5 TiB). A body of unknown
     * size keeps the configured size, so 10,000 parts are its limit.
     */
    static long partSize(long size, long configured) {
        long perPart = (size + ObjectWriteArgs.MAX_MULTIPART_COUNT - 1) / ObjectWriteArgs.MAX_MULTIPART_COUNT;
        return Math.max(configured, (perPart + MIB - 1) / MIB * MIB);
    }

    @Override
    public List<StoredEntry> list(String key) {
        String directory = directoryPrefix(key);
        Iterable<Result<Item>> items = client.listObjects(
                ListObjectsArgs.builder().bucket(bucket).prefix(directory).delimiter("/").build());
        List<StoredEntry> entries = new ArrayList<>();
        for (Result<Item> result : items) {
            Item item = call(key, result::get);
            String name = item.objectName().substring(directory.length());
            if (item.isDir()) {
                entries.add(new StoredEntry(name.substring(0, name.length() - 1), true, 0));
            } else if (!name.isEmpty()) {
                entries.add(new StoredEntry(name, false, item.size()));
            }
        }
        // S3 lists objects first, then common prefixes; MLflow sorts by path.
        entries.sort(Comparator.comparing(StoredEntry::name));
        return entries;
    }

    @Override
    public void delete(String key) {
        call(key, () -> client.removeObject(
                RemoveObjectArgs.builder().bucket(bucket).object(objectName(key)).build()).get());
        Iterable<Result<Item>> items = client.listObjects(
                ListObjectsArgs.builder().bucket(bucket).prefix(directoryPrefix(key)).recursive(true).build());
        List<DeleteObject> batch = new ArrayList<>();
        for (Result<Item> result : items) {
            batch.add(new DeleteObject(call(key, result::get).objectName()));
            if (batch.size() == DELETE_BATCH) {
                deleteObjects(key, batch);
            }
        }
        deleteObjects(key, batch);
    }

    @Override
    public String presignedUrl(TransferMethod method, String key, Duration expiry) {
        return presign(key, method == TransferMethod.PUT ? Method.PUT : Method.GET, expiry, Map.of());
    }

    @Override
    public String createMultipartUpload(String key) {
        return call(key, () -> client.createMultipartUploadAsync(bucket, region, objectName(key), null, null).get())
                .result().uploadId();
    }

    @Override
    public String presignedPartUrl(String key, String uploadId, int partNumber, Duration expiry) {
        return presign(key, Method.PUT, expiry,
                Map.of("partNumber", Integer.toString(partNumber), "uploadId", uploadId));
    }

    @Override
    public void completeMultipartUpload(String key, String uploadId, List<UploadedPart> parts) {
        Part[] completed = parts.stream().map(part -> new Part(part.partNumber(), part.etag())).toArray(Part[]::new);
        call(key, () -> client.completeMultipartUploadAsync(bucket, region, objectName(key), uploadId, completed,
                null, null).get());
    }

    @Override
    public void abortMultipartUpload(String key, String uploadId) {
        call(key, () -> client.abortMultipartUploadAsync(bucket, region, objectName(key), uploadId, null, null).get());
    }

    private String presign(String key, Method method, Duration expiry, Map<String, String> queryParameters) {
        return call(key, () -> presigner.getPresignedObjectUrl(GetPresignedObjectUrlArgs.builder()
                .method(method).bucket(bucket).object(objectName(key)).region(region)
                .expiry((int) expiry.toSeconds(), TimeUnit.SECONDS)
                .extraQueryParams(queryParameters).build()));
    }

    private void deleteObjects(String key, List<DeleteObject> batch) {
        if (batch.isEmpty()) {
            return;
        }
        // Lazy: the request is sent, and failures reported, only while the results are iterated.
        for (Result<DeleteError> result : client.removeObjects(
                RemoveObjectsArgs.builder().bucket(bucket).objects(List.copyOf(batch)).build())) {
            DeleteError error = call(key, result::get);
            throw new IllegalStateException("Could not delete " + error.objectName() + ": " + error.message());
        }
        batch.clear();
    }

    /**
     * Refuses here a key longer than S3 takes (1,024 bytes): sent on, its request line may be so long that the
     * storage drops the connection instead of answering KeyTooLongError, and the refusal would be a 500.
     */
    private String objectName(String key) {
        String name = ArtifactKeys.join(prefix, key);
        int bytes = name.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_KEY_BYTES) {
            throw MlflowException.invalidParameter("Storage refused the path of " + bytes + " bytes: KeyTooLongError: "
                    + "an object key takes at most " + MAX_KEY_BYTES + " bytes");
        }
        return name;
    }

    /** Not limited: a listing under a path longer than a key finds nothing rather than failing. */
    private String directoryPrefix(String key) {
        String directory = ArtifactKeys.join(prefix, key);
        return directory.isEmpty() ? "" : directory + "/";
    }

    /** Runs one SDK call and turns S3's answers into MLflow errors. */
    private static <T> T call(String key, Callable<T> sdkCall) {
        try {
            return sdkCall.call();
        } catch (Exception e) {
            throw translate(key, e);
        }
    }

    private static RuntimeException translate(String key, Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof ExecutionException || cause instanceof CompletionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof InterruptedException) {
            Thread.currentThread().interrupt();
        }
        if (cause instanceof ErrorResponseException s3) {
            String code = s3.errorResponse().code();
            return switch (code) {
                case "NoSuchKey" -> MlflowException.notFound("No artifact file at path '" + key + "'");
                case "NoSuchUpload" -> MlflowException.notFound("No multipart upload with that id for '" + key + "'");
                // A key storage cannot hold (S3 takes 1,024 bytes) comes from the caller's path: S3's own 400s.
                case "KeyTooLongError", "InvalidURI" -> MlflowException.invalidParameter("Storage refused the path of "
                        + key.getBytes(StandardCharsets.UTF_8).length + " bytes: " + code + ": " + s3.errorResponse().message());
                case "InvalidPart", "InvalidPartOrder", "EntityTooSmall", "MalformedXML" ->
                        MlflowException.invalidParameter("Storage refused the upload of '" + key + "': "
                                + code + ": " + s3.errorResponse().message());
                default -> new IllegalStateException("Storage answered " + code + " for '" + key + "'", s3);
            };
        }
        if (cause instanceof ConnectException || cause instanceof UnknownHostException) {
            return MlflowException.unavailable("Artifact storage is unreachable: " + cause.getMessage());
        }
        if (cause instanceof IOException io) {
            return new UncheckedIOException(io);
        }
        return cause instanceof RuntimeException runtime ? runtime : new IllegalStateException(cause);
    }
}
