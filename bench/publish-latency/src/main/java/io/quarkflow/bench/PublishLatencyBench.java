package io.quarkflow.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkflow.events.Topics;
import io.quarkflow.testing.kafka.KafkaBroker;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.helpers.NOP_FallbackServiceProvider;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Publish latency of run lifecycle events: starts a real PostgreSQL, a real Kafka broker and the tracking-service
 * jar, changes runs over HTTP from several clients (create, finish, delete: four events per run) and reads the
 * topic. Each event's CloudEvents {@code time} is taken inside its transaction, just before the commit; the topic
 * stamps records with the broker's append time. Prints p50/p99/max of event time to broker append (the commit to
 * ack latency, to the millisecond the broker stamps) and of event time to receipt by a consumer.
 * <p>
 * Usage: {@code PublishLatencyBench <quarkus-run.jar> [--events 10000] [--clients 8] [--no-listen]}; run it with
 * {@code bench/run.sh publish-latency}. {@code --no-listen} has the relay rely on its one-second poll instead of
 * LISTEN/NOTIFY.
 */
public final class PublishLatencyBench {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The suite's internal key, which tracking-service requires of every caller (the bench calls it directly). */
    private static final String INTERNAL_KEY = "bench-internal-key-" + java.util.UUID.randomUUID();
    private static final int EVENTS_PER_RUN = 4;
    private static final int WARMUP_RUNS = 250;

    /** One event as the consumer saw it; times in microseconds since the epoch. */
    private record Sample(String experimentId, long eventTime, long appendTime, long receivedTime) {
    }

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final List<Sample> samples = new ArrayList<>();
    private URI api;
    private volatile boolean consuming = true;

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: PublishLatencyBench <quarkus-run.jar> [--events N] [--clients N] [--no-listen]");
            System.exit(2);
        }
        System.setProperty("slf4j.provider", NOP_FallbackServiceProvider.class.getName()); // the broker's logs
        System.setProperty("slf4j.internal.verbosity", "WARN");
        List<String> options = List.of(args).subList(1, args.length);
        int events = Integer.parseInt(option(options, "--events", "10000"));
        int clients = Integer.parseInt(option(options, "--clients", "8"));
        boolean listen = !options.contains("--no-listen");
        new PublishLatencyBench().run(Path.of(args[0]), events, clients, listen);
    }

    private void run(Path jar, int events, int clients, boolean listen) throws Exception {
        try (KafkaBroker broker = KafkaBroker.onFreePorts().start();
             EmbeddedPostgres postgres = EmbeddedPostgres.builder().start()) {
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
                admin.createTopics(List.of(new NewTopic(Topics.RUN_EVENTS, 1, (short) 1)
                        .configs(Map.of("message.timestamp.type", "LogAppendTime")))).all().get();
            }
            Process service = startService(jar, broker.bootstrapServers(), postgres.getPort(), listen);
            try {
                awaitReady(service);
                Thread consumer = new Thread(() -> consume(broker.bootstrapServers()), "bench-consumer");
                consumer.start();
                drive(createExperiment("warmup"), WARMUP_RUNS, clients);
                String measured = createExperiment("measured");
                int runs = events / EVENTS_PER_RUN;
                long start = System.nanoTime();
                drive(measured, runs, clients);
                double seconds = (System.nanoTime() - start) / 1e9;
                List<Sample> received = awaitSamples(measured, runs * EVENTS_PER_RUN);
                consuming = false;
                consumer.join();
                report(received, runs, clients, listen, seconds);
            } finally {
                service.destroy();
                service.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    private Process startService(Path jar, String kafka, int postgresPort, boolean listen) throws IOException {
        int port = freePort();
        api = URI.create("http://127.0.0.1:" + port + "/");
        Path log = Path.of(System.getProperty("java.io.tmpdir"), "quarkflow-bench-tracking-service.log");
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar.toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().putAll(Map.of(
                "QUARKUS_HTTP_HOST", "127.0.0.1",
                "QUARKUS_HTTP_PORT", String.valueOf(port),
                "QUARKUS_DATASOURCE_JDBC_URL", "jdbc:postgresql://localhost:" + postgresPort + "/postgres",
                "QUARKUS_DATASOURCE_REACTIVE_URL", "postgresql://localhost:" + postgresPort + "/postgres",
                "QUARKUS_DATASOURCE_USERNAME", "postgres",
                "QUARKUS_DATASOURCE_PASSWORD", "postgres",
                "KAFKA_BOOTSTRAP_SERVERS", kafka,
                "QUARKFLOW_TRACKING_EVENTS_LISTEN", String.valueOf(listen),
                "QUARKFLOW_INTERNAL_KEY", INTERNAL_KEY));
        System.out.println("tracking-service log: " + log);
        return builder.start();
    }

    private void awaitReady(Process service) throws InterruptedException {
        HttpRequest ready = HttpRequest.newBuilder(api.resolve("q/health/ready")).build();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (!service.isAlive()) {
                throw new IllegalStateException("tracking-service exited with " + service.exitValue());
            }
            try {
                if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("tracking-service did not become ready");
    }

    /** Creates, finishes and deletes {@code runs} runs, spread over {@code clients} threads. */
    private void drive(String experimentId, int runs, int clients) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Future<?>> work = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                int share = runs / clients + (c < runs % clients ? 1 : 0);
                work.add(pool.submit(() -> {
                    for (int i = 0; i < share; i++) {
                        String runId = post("runs/create", Map.of("experiment_id", experimentId))
                                .path("run").path("info").path("run_id").asText();
                        post("runs/update", Map.of("run_id", runId, "status", "FINISHED",
                                "end_time", System.currentTimeMillis()));
                        post("runs/delete", Map.of("run_id", runId));
                    }
                    return null;
                }));
            }
            for (Future<?> future : work) {
                future.get();
            }
        } finally {
            pool.shutdown();
        }
    }

    private String createExperiment(String name) throws IOException, InterruptedException {
        return post("experiments/create", Map.of("name", name + "-" + System.nanoTime())).path("experiment_id").asText();
    }

    private JsonNode post(String path, Map<String, Object> body) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(api.resolve("api/2.0/mlflow/" + path))
                .header("Content-Type", "application/json")
                .header("X-Quarkflow-Internal-Key", INTERNAL_KEY)
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException(path + " answered " + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body());
    }

    private void consume(String bootstrapServers) {
        TopicPartition partition = new TopicPartition(Topics.RUN_EVENTS, 0);
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(
                Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers),
                new StringDeserializer(), new StringDeserializer())) {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            while (consuming) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(50))) {
                    long received = micros(Instant.now());
                    JsonNode event = read(record.value());
                    Sample sample = new Sample(event.path("data").path("experiment_id").asText(),
                            micros(Instant.parse(event.path("time").asText())), record.timestamp() * 1000, received);
                    synchronized (samples) {
                        samples.add(sample);
                    }
                }
            }
        }
    }

    private List<Sample> awaitSamples(String experimentId, int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (true) {
            List<Sample> measured;
            synchronized (samples) {
                measured = samples.stream().filter(sample -> sample.experimentId().equals(experimentId)).toList();
            }
            if (measured.size() >= count) {
                return measured;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("only " + measured.size() + " of " + count + " events arrived");
            }
            Thread.sleep(50);
        }
    }

    private static void report(List<Sample> samples, int runs, int clients, boolean listen, double seconds) {
        long[] toBroker = samples.stream().mapToLong(s -> s.appendTime() - s.eventTime()).sorted().toArray();
        long[] toConsumer = samples.stream().mapToLong(s -> s.receivedTime() - s.eventTime()).sorted().toArray();
        System.out.printf("%n%d events from %d runs, %d HTTP clients, relay woken by %s; %.0f requests/s, %.0f events/s%n",
                samples.size(), runs, clients, listen ? "LISTEN/NOTIFY" : "its 1 s poll",
                runs * 3 / seconds, samples.size() / seconds);
        System.out.println("latency (ms)                        p50      p99      max");
        line("event time -> broker append", toBroker);
        line("event time -> consumer receipt", toConsumer);
    }

    private static void line(String label, long[] sortedMicros) {
        System.out.printf("%-32s %8.1f %8.1f %8.1f%n", label, percentile(sortedMicros, 0.50) / 1000.0,
                percentile(sortedMicros, 0.99) / 1000.0, sortedMicros[sortedMicros.length - 1] / 1000.0);
    }

    private static long percentile(long[] sorted, double quantile) {
        return sorted[Math.max(0, (int) Math.ceil(quantile * sorted.length) - 1)];
    }

    private static long micros(Instant instant) {
        return ChronoUnit.MICROS.between(Instant.EPOCH, instant);
    }

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalStateException("not JSON: " + json, e);
        }
    }

    private static String option(List<String> options, String name, String fallback) {
        int index = options.indexOf(name);
        return index >= 0 && index + 1 < options.size() ? options.get(index + 1) : fallback;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
