package io.quarkflow.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.SplittableRandom;

/**
 * A large artifact that never sits in memory: pseudo-random bytes from a seed, the same for the same seed, so the
 * test can stream it up once and recompute what it must get back.
 */
final class SeededBytes extends InputStream {

    private final SplittableRandom random;
    private long remaining;

    SeededBytes(long seed, long size) {
        this.random = new SplittableRandom(seed);
        this.remaining = size;
    }

    @Override
    public int read() {
        if (remaining == 0) {
            return -1;
        }
        remaining--;
        return random.nextInt(256);
    }

    @Override
    public int read(byte[] buffer, int offset, int length) {
        if (remaining == 0) {
            return -1;
        }
        int count = (int) Math.min(length, remaining);
        for (int i = 0; i < count; i++) {
            buffer[offset + i] = (byte) random.nextInt(256);
        }
        remaining -= count;
        return count;
    }

    /** Reads the stream to its end and closes it; returns the SHA-256 of its bytes in hex. */
    static String sha256Hex(InputStream stream) {
        try (DigestInputStream digesting = new DigestInputStream(stream, MessageDigest.getInstance("SHA-256"))) {
            digesting.transferTo(OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(digesting.getMessageDigest().digest());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every JVM has SHA-256", e);
        }
    }
}
