package io.quarkflow.artifact.store;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Parts of a proxied upload: the configured size until S3's 10,000 parts are not enough. */
class S3PartSizeTest {

    private static final long MIB = 1024 * 1024;
    private static final long GIB = 1024 * MIB;
    private static final long CONFIGURED = 16 * MIB;

    @Test
    void theConfiguredSizeWhileTenThousandPartsHoldTheFile() {
        assertEquals(CONFIGURED, S3ArtifactStorage.partSize(2 * GIB + MIB, CONFIGURED));
        assertEquals(CONFIGURED, S3ArtifactStorage.partSize(10_000 * CONFIGURED, CONFIGURED));
        assertEquals(CONFIGURED, S3ArtifactStorage.partSize(0, CONFIGURED));
    }

    @Test
    void largerWholeMebibytesBeyond() {
        assertEquals(17 * MIB, S3ArtifactStorage.partSize(10_000 * CONFIGURED + 1, CONFIGURED));
        assertEquals(105 * MIB, S3ArtifactStorage.partSize(1024 * GIB, CONFIGURED));
        long fiveTebibytes = 5 * 1024 * GIB;
        long part = S3ArtifactStorage.partSize(fiveTebibytes, CONFIGURED);
        assertEquals(525 * MIB, part);
        assertEquals(9_987, (fiveTebibytes + part - 1) / part, "S3's largest object fits in 10,000 parts");
    }

    @Test
    void anUnknownSizeKeepsTheConfiguredSize() {
        assertEquals(CONFIGURED, S3ArtifactStorage.partSize(-1, CONFIGURED));
    }
}
