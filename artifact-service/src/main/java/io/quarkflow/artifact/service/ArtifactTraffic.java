package io.quarkflow.artifact.service;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Artifact bytes through this service, counted as they move, for /q/metrics: {@code quarkflow_artifact_bytes_total}
 * with {@code direction="in"} (uploads) and {@code "out"} (downloads). Presigned and multipart transfers go between
 * the client and storage and are not here.
 */
@ApplicationScoped
public class ArtifactTraffic {

    private final Counter in;
    private final Counter out;

    public ArtifactTraffic(MeterRegistry meters) {
        this.in = counter(meters, "in");
        this.out = counter(meters, "out");
    }

    /** An upload's body, counted as storage reads it. */
    InputStream received(InputStream body) {
        return new Counted(body, in);
    }

    /** A download, counted as it is written to the client (a HEAD request's stream, closed unread, counts nothing). */
    Download sent(Download download) {
        return new Download(download.fileName(), download.contentType(), new Counted(download.stream(), out),
                download.size());
    }

    private static Counter counter(MeterRegistry meters, String direction) {
        return Counter.builder("quarkflow.artifact.bytes")
                .baseUnit("bytes")
                .description("Artifact bytes received from clients (in) and sent to them (out)")
                .tag("direction", direction)
                .register(meters);
    }

    private static final class Counted extends FilterInputStream {

        private final Counter counter;

        Counted(InputStream stream, Counter counter) {
            super(stream);
            this.counter = counter;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                counter.increment();
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                counter.increment(n);
            }
            return n;
        }
    }
}
