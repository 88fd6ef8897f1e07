package io.quarkflow.artifact.config;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;

@ConfigMapping(prefix = "quarkflow.artifact")
public interface ArtifactConfig {

    /** Where artifact bytes live: {@code local} (a directory, the embedded default) or {@code s3} (MinIO, S3). */
    @WithDefault("local")
    Backend backend();

    Local local();

    S3 s3();

    /** Lifetime of presigned URLs: multipart part URLs, and presign requests that name no expiry. */
    @WithDefault("1h")
    Duration presignExpiry();

    enum Backend {
        LOCAL, S3
    }

    interface Local {

        /** The artifact root directory; created at start. MLflow's --artifacts-destination default. */
        @WithDefault("mlartifacts")
        String root();
    }

    /** Endpoint, bucket and keys are required when {@link #backend()} is {@code s3}. */
    interface S3 {

        /** The S3 API endpoint, e.g. {@code http://minio:9000} or {@code https://s3.eu-west-1.amazonaws.com}. */
        Optional<String> endpoint();

        Optional<String> bucket();

        /** Key prefix under which all artifacts live; {@code mlflow-artifacts:/x} is {@code <prefix>/x}. */
        Optional<String> prefix();

        /** Set explicitly so that signing never has to ask the server for the bucket's region. */
        @WithDefault("us-east-1")
        String region();

        Optional<String> accessKey();

        Optional<String> secretKey();

        /**
         * The endpoint that clients reach storage at, when it differs from {@link #endpoint()} (an in-cluster
         * service name, say); presigned URLs are signed for this host.
         */
        Optional<String> presignEndpoint();

        /**
         * Size of the parts a proxied upload is sent to storage in; one part per upload is held in memory. S3 allows
         * 10,000 parts: a file of known size that needs more (over about 156 GiB with 16 MiB parts) goes up in larger
         * parts (size / 10,000, so up to 525 MiB for 5 TiB); a chunked upload, of unknown size, is capped at 10,000
         * parts of this size.
         */
        @WithDefault("16M")
        MemorySize partSize();
    }
}
