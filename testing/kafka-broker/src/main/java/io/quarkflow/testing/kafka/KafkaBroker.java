package io.quarkflow.testing.kafka;

import io.quarkflow.process.FreePorts;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * A real single-node Kafka, broker and KRaft controller in one, running in this JVM on loopback. Its ports and
 * log directory outlive {@link #stop()}, so {@link #start()} brings the same broker back with its data.
 */
public final class KafkaBroker implements AutoCloseable {

    private final Path home;
    private final int port;
    private final Properties config;
    private KafkaRaftServer server;

    private KafkaBroker(Path home, int port, int controllerPort) {
        this.home = home;
        this.port = port;
        this.config = new Properties();
        config.put("process.roles", "broker,controller");
        config.put("node.id", "1");
        config.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        config.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        config.put("controller.listener.names", "CONTROLLER");
        config.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        config.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        config.put("log.dirs", home.resolve("data").toString());
        // One node: the internal topics cannot have more replicas, and few partitions keep the start quick.
        config.put("offsets.topic.replication.factor", "1");
        config.put("offsets.topic.num.partitions", "1");
        config.put("transaction.state.log.replication.factor", "1");
        config.put("transaction.state.log.min.isr", "1");
        config.put("transaction.state.log.num.partitions", "1");
        config.put("share.coordinator.state.topic.replication.factor", "1");
        config.put("share.coordinator.state.topic.min.isr", "1");
        config.put("group.initial.rebalance.delay.ms", "0");
    }

    /** A broker on two free loopback ports with a fresh log directory that {@link #close()} deletes; not started. */
    public static KafkaBroker onFreePorts() {
        return onFreePorts(new FreePorts());
    }

    /**
     * The same, its ports taken from the caller's {@link FreePorts}, so that they differ from those the caller gives
     * other servers that, like this broker, do not bind until later.
     */
    public static KafkaBroker onFreePorts(FreePorts ports) {
        try {
            return new KafkaBroker(Files.createTempDirectory("quarkflow-kafka-"), ports.next(), ports.next());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Formats the storage with a fresh cluster id on the first start, then starts; returns once it serves. */
    public synchronized KafkaBroker start() {
        if (server == null) {
            if (!Files.exists(home.resolve("data/meta.properties"))) {
                format();
            }
            KafkaRaftServer started = new KafkaRaftServer(KafkaConfig.fromProps(config, false), Time.SYSTEM);
            started.startup();
            server = started;
        }
        return this;
    }

    /** Shuts the broker down and waits for it; the data stays for the next {@link #start()}. */
    public synchronized void stop() {
        if (server != null) {
            server.shutdown();
            server.awaitShutdown();
            server = null;
        }
    }

    public synchronized boolean isRunning() {
        return server != null;
    }

    /** {@code 127.0.0.1:<port>}; the same across restarts. */
    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /** Stops the broker and deletes its data. */
    @Override
    public synchronized void close() {
        stop();
        try (Stream<Path> files = Files.walk(home)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void format() {
        Path file = home.resolve("server.properties");
        try (Writer writer = Files.newBufferedWriter(file)) {
            config.store(writer, "written by " + KafkaBroker.class.getName());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        String[] args = {"format", "-t", Uuid.randomUuid().toString(), "-c", file.toString()};
        int exitCode = StorageTool.execute(args, new PrintStream(output, true, StandardCharsets.UTF_8));
        if (exitCode != 0) {
            throw new IllegalStateException("Could not format Kafka storage in " + home + ": "
                    + output.toString(StandardCharsets.UTF_8));
        }
    }

}
