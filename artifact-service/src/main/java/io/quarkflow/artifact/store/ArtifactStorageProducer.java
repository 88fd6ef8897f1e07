package io.quarkflow.artifact.store;

import io.minio.MinioAsyncClient;
import io.quarkflow.artifact.config.ArtifactConfig;
import io.quarkflow.artifact.domain.ArtifactLocationResolver;
import io.quarkflow.artifact.domain.ArtifactPathValidator;
import io.quarkflow.artifact.domain.StorageRoot;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.nio.file.Path;
import java.util.Optional;

/** Chooses the storage backend from configuration; created at start so a bad configuration fails fast. */
public class ArtifactStorageProducer {

    private static final long MIN_PART_SIZE = 5L * 1024 * 1024;
    private static final long MAX_PART_SIZE = 5L * 1024 * 1024 * 1024;

    @Produces
    @Singleton
    @Startup
    ArtifactStorage storage(ArtifactConfig config) {
        if (config.backend() == ArtifactConfig.Backend.LOCAL) {
            return new LocalArtifactStorage(Path.of(config.local().root()));
        }
        ArtifactConfig.S3 s3 = config.s3();
        MinioAsyncClient client = client(required(s3.endpoint(), "endpoint"), s3);
        MinioAsyncClient presigner = s3.presignEndpoint().map(endpoint -> client(endpoint, s3)).orElse(client);
        return new S3ArtifactStorage(client, presigner, required(s3.bucket(), "bucket"), prefix(s3), s3.region(),
                partSize(s3));
    }

    @Produces
    @Singleton
    ArtifactLocationResolver locations(ArtifactConfig config) {
        if (config.backend() == ArtifactConfig.Backend.LOCAL) {
            return new ArtifactLocationResolver(new StorageRoot.LocalDirectory(Path.of(config.local().root())));
        }
        ArtifactConfig.S3 s3 = config.s3();
        return new ArtifactLocationResolver(new StorageRoot.S3Bucket(required(s3.bucket(), "bucket"), prefix(s3)));
    }

    private static String required(Optional<String> value, String name) {
        return value.filter(text -> !text.isBlank()).orElseThrow(() -> new IllegalStateException(
                "quarkflow.artifact.backend=s3 needs quarkflow.artifact.s3." + name));
    }

    /** S3's bounds for every part but the last. */
    private static long partSize(ArtifactConfig.S3 s3) {
        long bytes = s3.partSize().asLongValue();
        if (bytes < MIN_PART_SIZE || bytes > MAX_PART_SIZE) {
            throw new IllegalStateException("quarkflow.artifact.s3.part-size must be between 5M and 5G");
        }
        return bytes;
    }

    /** "/mlflow/" and "mlflow" are the same prefix; anything a path could not be is a configuration error. */
    private static String prefix(ArtifactConfig.S3 s3) {
        String prefix = s3.prefix().orElse("").replaceAll("^/+|/+$", "");
        return ArtifactPathValidator.validateOptional(prefix);
    }

    private static MinioAsyncClient client(String endpoint, ArtifactConfig.S3 s3) {
        return MinioAsyncClient.builder().endpoint(endpoint).region(s3.region())
                .credentials(required(s3.accessKey(), "access-key"), required(s3.secretKey(), "secret-key")).build();
    }
}
