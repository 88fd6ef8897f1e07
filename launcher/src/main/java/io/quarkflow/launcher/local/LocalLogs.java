package io.quarkflow.launcher.local;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A local run's output file as a stream of text chunks: all of it or its last lines, and with {@code follow} what
 * the process writes next, until it has exited and everything was sent. Reads happen on worker threads.
 */
@ApplicationScoped
public class LocalLogs {

    private static final Duration FOLLOW_INTERVAL = Duration.ofMillis(250);
    private static final int CHUNK = 64 * 1024;

    private final LocalLauncher launcher;
    private final LocalRuns runs;

    public LocalLogs(LocalLauncher launcher, LocalRuns runs) {
        this.launcher = launcher;
        this.runs = runs;
    }

    /** The run's output file, if this launcher ran the run. Blocking. */
    public Optional<Path> output(String runId) {
        Path output = launcher.workDir(runId).resolve(LocalLauncher.OUTPUT_FILE);
        return Files.isRegularFile(output) ? Optional.of(output) : Optional.empty();
    }

    public Multi<String> stream(String runId, Path output, Integer tail, boolean follow) {
        AtomicLong position = new AtomicLong(-1);
        Multi<Chunk> chunks = follow
                ? Multi.createFrom().ticks().startingAfter(Duration.ofMillis(1)).every(FOLLOW_INTERVAL)
                        .onOverflow().drop()
                        .emitOn(Infrastructure.getDefaultWorkerPool())
                        .map(tick -> next(runId, output, tail, position))
                        .select().first(chunk -> !chunk.last())
                : Multi.createBy().repeating().supplier(() -> next(runId, output, tail, position))
                        .until(chunk -> chunk.text().isEmpty())
                        .runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
        return chunks.map(Chunk::text).select().where(text -> !text.isEmpty());
    }

    /**
     * @param last nothing was new and the process had already exited before this read, so nothing will come
     */
    private record Chunk(String text, boolean last) {
    }

    private Chunk next(String runId, Path output, Integer tail, AtomicLong position) {
        boolean exited = !runs.isRunning(runId);
        try (RandomAccessFile in = new RandomAccessFile(output.toFile(), "r")) {
            if (position.get() < 0) {
                position.set(tail == null ? 0 : tailStart(in, tail));
            }
            long available = in.length() - position.get();
            if (available <= 0) {
                return new Chunk("", exited);
            }
            byte[] bytes = new byte[(int) Math.min(available, CHUNK)];
            in.seek(position.get());
            in.readFully(bytes);
            int end = completeCharacters(bytes);
            position.addAndGet(end);
            return new Chunk(new String(bytes, 0, end, StandardCharsets.UTF_8), false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Where the last {@code lines} lines start; a final line without newline counts as a line. */
    static long tailStart(RandomAccessFile in, int lines) throws IOException {
        long length = in.length();
        if (lines <= 0) {
            return length;
        }
        long position = length;
        int newlines = 0;
        byte[] buffer = new byte[8192];
        while (position > 0) {
            int size = (int) Math.min(buffer.length, position);
            position -= size;
            in.seek(position);
            in.readFully(buffer, 0, size);
            for (int i = size - 1; i >= 0; i--) {
                if (buffer[i] == '\n' && position + i != length - 1 && ++newlines == lines) {
                    return position + i + 1;
                }
            }
        }
        return 0;
    }

    /** The bytes up to the last complete UTF-8 character, so that a character split by a read is sent whole later. */
    private static int completeCharacters(byte[] bytes) {
        int end = bytes.length;
        for (int back = 1; back <= Math.min(3, bytes.length); back++) {
            byte b = bytes[bytes.length - back];
            if ((b & 0xC0) == 0xC0) { // a lead byte: is its sequence complete?
                int needed = (b & 0xE0) == 0xC0 ? 2 : (b & 0xF0) == 0xE0 ? 3 : 4;
                return needed > back ? bytes.length - back : end;
            }
            if ((b & 0x80) == 0) {
                return end;
            }
        }
        return end;
    }
}
