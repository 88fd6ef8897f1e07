package io.quarkflow.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.quarkflow.events.Topics;
import io.quarkflow.process.ChildProcess;
import io.quarkflow.process.Command;
import io.quarkflow.process.FreePorts;
import io.quarkflow.testing.kafka.KafkaBroker;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.helpers.NOP_FallbackServiceProvider;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.FileHandler;
import java.util.logging.SimpleFormatter;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Submit → Job created latency of project runs on the kubernetes backend, with redelivered requests. Starts a real
 * PostgreSQL, a Kafka broker and the fabric8 Kubernetes API server in CRUD mode in this JVM, a Git repository with an
 * MLproject served over git:// (or smart HTTP), and tracking-service, projects-service and the launcher as child
 * JVMs from their fast-jars. Submits the project to projects-service from a bounded number of HTTP clients; each
 * run's latency is from just before its submit request is sent to the moment this harness's own watch on Jobs sees
 * the run's Job ADDED. Then publishes a fraction of the runs' {@code ProjectRunRequest} records again, byte for byte
 * (Kafka's at-least-once delivery), waits for the launcher's consumer group to read them, and counts the Jobs: there
 * must be exactly one per run.
 * <p>
 * Usage: {@code ProjectLaunchBench <tracking jar> <projects jar> <launcher jar> [options]}, see {@link #USAGE}; run
 * it with {@code bench/run.sh project-launch}.
 */
public final class ProjectLaunchBench {

    static final String USAGE = """
            usage: ProjectLaunchBench <tracking-service jar> <projects-service jar> <launcher jar> [options]
              --count N            measured submissions (1000)
              --duplicates F       fraction of them whose request is published to Kafka a second time (0.1)
              --concurrency N      submissions in flight at once (8)
              --warmup N           submissions of a warm-up round first, in an experiment of their own (50)
              --git-server S       daemon (git://, the default; http when git daemon cannot serve) or http
            """;
    private static final Set<String> OPTIONS = Set.of("--count", "--duplicates", "--concurrency", "--warmup",
            "--git-server");
    private static final java.util.logging.Logger API_SERVER_LOG =
            java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");
    /** Adds to epoch nanoseconds to give System.nanoTime(); to the millisecond. */
    private static final long EPOCH_TO_NANO_TIME = System.nanoTime() - System.currentTimeMillis() * 1_000_000L;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String HEAP = "-Xmx256m";
    /** The suite's internal key, which the services require of every caller (the bench calls them directly). */
    private static final String INTERNAL_KEY = "bench-internal-key-" + java.util.UUID.randomUUID();
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(180);
    /** How long the Jobs may stop appearing before the harness gives up on the missing ones. */
    private static final Duration STALL_TIMEOUT = Duration.ofSeconds(120);
    private static final String NAMESPACE = "quarkflow-bench";
    private static final String LAUNCHER_GROUP = "quarkflow-launcher";
    /** The launcher's labels and annotation on each Job (launcher's JobLabels). */
    private static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    private static final String MANAGER = "quarkflow";
    private static final String EXPERIMENT_LABEL = "quarkflow.io/experiment-id";
    private static final String RUN_ID_ANNOTATION = "quarkflow.io/run-id";
    /** Settings a developer's shell may hold; the children get only what this harness gives. */
    private static final List<String> INHERITED_PREFIXES_DROPPED =
            List.of("QUARKUS_", "QUARKFLOW_", "KAFKA_", "MLFLOW_", "KUBERNETES_");

    private record Options(int count, double duplicates, int concurrency, int warmup, String gitServer) {
    }

    /** One submission: its run, and in System.nanoTime() when it was sent and when its answer arrived. */
    private record Submitted(String runId, long sent, long answered) {
    }

    private record Service(String name, ChildProcess process, URI uri, URI health) {
    }

    private final Options options;
    private final FreePorts ports = new FreePorts();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    /** Whatever is running, in start order; closed in reverse. */
    private final List<AutoCloseable> running = new ArrayList<>();
    /** When the watch first saw each run's Job ADDED (System.nanoTime()), by run id. */
    private final Map<String, Long> added = new ConcurrentHashMap<>();
    private final AtomicInteger addedEvents = new AtomicInteger();
    private final AtomicInteger modifiedEvents = new AtomicInteger();
    private final AtomicInteger deletedEvents = new AtomicInteger();
    private final AtomicLong lastAdded = new AtomicLong(System.nanoTime());
    private volatile String watchClosed;
    private Path work;
    private Path logDir;

    private ProjectLaunchBench(Options options) {
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        List<String> all = List.of(args);
        if (all.contains("--help") || all.contains("-h") || args.length < 3) {
            System.out.print(USAGE);
            System.exit(all.contains("--help") || all.contains("-h") ? 0 : 2);
        }
        System.setProperty("slf4j.provider", NOP_FallbackServiceProvider.class.getName()); // broker, mock server
        System.setProperty("slf4j.internal.verbosity", "WARN");
        List<String> rest = all.subList(3, all.size());
        for (int i = 0; i < rest.size(); i += 2) {
            if (!OPTIONS.contains(rest.get(i)) || i + 1 >= rest.size()) {
                System.err.print("unknown option or missing value: " + rest.get(i) + "\n" + USAGE);
                System.exit(2);
            }
        }
        Options options = new Options(Integer.parseInt(option(rest, "--count", "1000")),
                Double.parseDouble(option(rest, "--duplicates", "0.1")),
                Integer.parseInt(option(rest, "--concurrency", "8")),
                Integer.parseInt(option(rest, "--warmup", "50")),
                option(rest, "--git-server", "daemon"));
        if (options.count() < 1 || options.concurrency() < 1 || options.warmup() < 0
                || options.duplicates() < 0 || options.duplicates() > 1
                || !Set.of("daemon", "http").contains(options.gitServer())) {
            System.err.print(USAGE);
            System.exit(2);
        }
        ProjectLaunchBench bench = new ProjectLaunchBench(options);
        // Ctrl-C: the shutdown hook stops the child JVMs, the git server, the broker and PostgreSQL.
        Runtime.getRuntime().addShutdownHook(new Thread(bench::close, "project-launch-stop"));
        int exitCode;
        try {
            exitCode = bench.run(Path.of(args[0]), Path.of(args[1]), Path.of(args[2]));
        } finally {
            bench.close();
        }
        System.exit(exitCode);
    }

    private int run(Path trackingJar, Path projectsJar, Path launcherJar) throws Exception {
        long started = System.nanoTime();
        work = Files.createTempDirectory("quarkflow-project-launch-");
        logDir = Path.of(System.getProperty("java.io.tmpdir"), "quarkflow-bench-project-launch");
        Files.createDirectories(logDir);
        try (Stream<Path> old = Files.list(logDir)) {
            old.forEach(file -> file.toFile().delete());
        }

        EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                .setOutputRedirector(ProcessBuilder.Redirect.to(logDir.resolve("postgres.log").toFile()))
                .setErrorRedirector(ProcessBuilder.Redirect.to(logDir.resolve("postgres.err.log").toFile()))
                .start();
        running.add(postgres);
        KafkaBroker kafka = KafkaBroker.onFreePorts(ports);
        running.add(kafka);
        kafka.start();
        try (Admin admin = admin(kafka)) {
            // The broker stamps each request with its append time: when the outbox relay's publish arrived.
            admin.createTopics(List.of(new NewTopic(Topics.PROJECT_RUNS, 1, (short) 1)
                            .configs(Map.of("message.timestamp.type", "LogAppendTime")),
                    new NewTopic(Topics.RUN_EVENTS, 1, (short) 1))).all().get();
        }
        logApiServerRequests(logDir.resolve("api-server.log"));
        KubernetesMockServer apiServer = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new KubernetesCrudDispatcher(), true);
        apiServer.init(InetAddress.getLoopbackAddress(), ports.next());
        running.add(apiServer::destroy);
        KubernetesClient kubernetes = apiServer.createClient();
        running.add(kubernetes);
        GitProject project = GitProject.serve(Files.createDirectories(work.resolve("repositories")), ports, logDir,
                options.gitServer());
        running.add(project);

        String jdbcUrl = "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/postgres";
        Map<String, String> database = Map.of(
                "QUARKUS_DATASOURCE_JDBC_URL", jdbcUrl,
                "QUARKUS_DATASOURCE_REACTIVE_URL", jdbcUrl.substring("jdbc:".length()),
                "QUARKUS_DATASOURCE_USERNAME", "postgres",
                "QUARKUS_DATASOURCE_PASSWORD", "postgres");
        Service tracking = start("tracking-service", trackingJar, "/health", with(database, Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers())));
        int launcherPort = ports.next();
        Service projects = start("projects-service", projectsJar, "/q/health/ready", with(database, Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
                "QUARKUS_REST_CLIENT_TRACKING_SERVICE_URL", tracking.uri().toString(),
                "QUARKFLOW_PROJECTS_DEFAULT_BACKEND", "kubernetes",
                "QUARKFLOW_PROJECTS_LOCAL_DIRECTORIES", "false",
                "QUARKFLOW_PROJECTS_LAUNCHER_URL", loopback(launcherPort).toString(),
                "QUARKFLOW_PROJECTS_WORK_DIR", work.resolve("projects-work").toString())));
        Service launcher = start("launcher", launcherJar, launcherPort, "/q/health/ready", Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
                "QUARKUS_REST_CLIENT_TRACKING_SERVICE_URL", tracking.uri().toString(),
                // No gateway: the Jobs' MLFLOW_TRACKING_URI names tracking-service; no pod ever runs here.
                "QUARKFLOW_LAUNCHER_TRACKING_URI", tracking.uri().toString(),
                "QUARKFLOW_LAUNCHER_LOCAL_WORK_DIR", work.resolve("launcher-runs").toString(),
                "QUARKFLOW_LAUNCHER_KUBERNETES_ENABLED", "true",
                "QUARKFLOW_LAUNCHER_KUBERNETES_NAMESPACE", NAMESPACE,
                "QUARKUS_KUBERNETES_CLIENT_API_SERVER_URL", apiServer.url("/"),
                "QUARKUS_KUBERNETES_CLIENT_TRUST_CERTS", "true",
                "QUARKUS_KUBERNETES_CLIENT_NAMESPACE", NAMESPACE,
                // Never a cluster of the machine's kubeconfig.
                "KUBECONFIG", work.resolve("no-kubeconfig").toString()));
        List<Service> services = List.of(tracking, projects, launcher);
        for (Service service : services) {
            service.process().awaitHttpOk(service.health(), STARTUP_TIMEOUT);
        }
        System.out.printf("Started in %.1f s: PostgreSQL, Kafka %s, the Kubernetes API server (fabric8 mock, CRUD "
                        + "mode) %s, tracking-service %s, projects-service %s, launcher %s; no gateway (the harness "
                        + "calls projects-service and tracking-service directly); project %s served by %s; logs in %s%n",
                (System.nanoTime() - started) / 1e9, kafka.bootstrapServers(), apiServer.url("/"), tracking.uri(),
                projects.uri(), launcher.uri(), project.uri(), project.server(), logDir);

        Watch watch = watchJobs(kubernetes);
        running.add(watch);

        String warmupExperiment = createExperiment(tracking.uri(), "project-launch-warmup");
        if (options.warmup() > 0) {
            long warmupStart = System.nanoTime();
            List<Submitted> warm = submit(projects.uri(), project.uri(), warmupExperiment, options.warmup());
            awaitJobs(warm);
            System.out.printf("Warm-up: %d submissions in experiment %s, not counted in the figures (%.1f s)%n",
                    warm.size(), warmupExperiment, (System.nanoTime() - warmupStart) / 1e9);
        }

        String measuredExperiment = createExperiment(tracking.uri(), "project-launch-measured");
        long measureStart = System.nanoTime();
        List<Submitted> measured = submit(projects.uri(), project.uri(), measuredExperiment, options.count());
        long submitEnd = measured.stream().mapToLong(Submitted::answered).max().orElseThrow();
        List<String> missing = awaitJobs(measured);
        long jobsEnd = lastAdded.get();

        int duplicates = (int) Math.round(options.count() * options.duplicates());
        int addedBefore = addedEvents.get();
        Map<String, ConsumerRecord<byte[], byte[]>> requests = readRequests(kafka);
        int republished = republish(kafka, requests, measured, duplicates);
        long published = System.nanoTime();
        boolean caughtUp = awaitConsumerGroup(kafka, Duration.ofSeconds(120));
        long drained = System.nanoTime();
        Thread.sleep(2_000); // a Job the duplicates created late would show in the watch meanwhile

        List<Job> jobs = kubernetes.batch().v1().jobs().inAnyNamespace().withLabel(MANAGED_BY, MANAGER).list()
                .getItems();
        long measuredJobs = jobs.stream().filter(job -> measuredExperiment.equals(label(job, EXPERIMENT_LABEL))).count();
        long warmupJobs = jobs.stream().filter(job -> warmupExperiment.equals(label(job, EXPERIMENT_LABEL))).count();
        Map<String, Long> perRun = jobs.stream().collect(Collectors.groupingBy(
                job -> String.valueOf(job.getMetadata().getAnnotations().get(RUN_ID_ANNOTATION)), Collectors.counting()));
        List<String> doubled = perRun.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).toList();

        report(measured, requests, measureStart, submitEnd, jobsEnd, missing);
        System.out.printf("%nRedelivery: %d of the %d measured runs' ProjectRunRequest records published again, byte "
                        + "for byte (key, value, headers) to %s (chosen at random, seed 42); the launcher's group %s "
                        + "%s %.1f s after they were published (its offset commits are throttled: up to ~5 s late)%n",
                republished, options.count(), Topics.PROJECT_RUNS, LAUNCHER_GROUP,
                caughtUp ? "had read them" : "had NOT caught up", (drained - published) / 1e9);
        System.out.printf("  watch events after the redelivery: %d ADDED; whole run: %d ADDED, %d MODIFIED, %d DELETED%s%n",
                addedEvents.get() - addedBefore, addedEvents.get(), modifiedEvents.get(), deletedEvents.get(),
                watchClosed == null ? "" : "; the watch closed: " + watchClosed);
        Path launcherLog = logDir.resolve("launcher.log");
        Path apiServerLog = logDir.resolve("api-server.log");
        System.out.printf("  launcher log: %d \"Created Job\", %d \"exists already: a request delivered again\"; "
                        + "API server: %d Job creations answered 201 Created, %d answered 409 Conflict%n",
                count(launcherLog, "Created Job "), count(launcherLog, "exists already: a request delivered again"),
                count(apiServerLog, "/jobs HTTP/1.1 and responded: HTTP/1.1 201"),
                count(apiServerLog, "/jobs HTTP/1.1 and responded: HTTP/1.1 409"));

        System.out.printf("%nJobs labelled %s=%s in the API server: %d in all; %d of the measured experiment %s "
                        + "(label %s), %d of the warm-up experiment %s; %d run(s) with more than one Job%n",
                MANAGED_BY, MANAGER, jobs.size(), measuredJobs, measuredExperiment, EXPERIMENT_LABEL, warmupJobs,
                warmupExperiment, doubled.size());
        System.out.println("  namespaces: " + jobs.stream().collect(Collectors.groupingBy(
                job -> job.getMetadata().getNamespace(), TreeMap::new, Collectors.counting()))
                + "; names like " + jobs.stream().map(job -> job.getMetadata().getName()).findFirst().orElse("-"));
        for (String runId : doubled) {
            System.out.println("  run " + runId + " has " + perRun.get(runId) + " Jobs");
        }
        for (Service service : services) {
            if (!service.process().isAlive()) {
                System.out.println(service.name() + " exited with " + service.process().exitCode() + " during the run");
            }
            Path log = logDir.resolve(service.name() + ".log");
            System.out.printf("  %s log: %d ERROR, %d WARN lines%n", service.name(), count(log, " ERROR "),
                    count(log, " WARN "));
        }
        System.out.printf("Total time %.0f s, the start included%n", (System.nanoTime() - started) / 1e9);
        boolean exact = measuredJobs == options.count() && doubled.isEmpty()
                && jobs.size() == options.count() + (long) options.warmup();
        System.out.println(exact ? "OK: exactly " + options.count() + " Jobs for the " + options.count()
                + " measured submissions (" + jobs.size() + " with the warm-up's)"
                : "FAILED: expected exactly " + options.count() + " Jobs for the measured submissions and "
                + (options.count() + options.warmup()) + " in all, found " + measuredJobs + " and " + jobs.size());
        return exact ? 0 : 1;
    }

    /**
     * The mock API server logs every request through java.util.logging: to a file rather than the console. The logger
     * is held in a static field, since java.util.logging keeps only weak references to configured loggers.
     */
    private static void logApiServerRequests(Path file) throws IOException {
        FileHandler handler = new FileHandler(file.toString());
        handler.setFormatter(new SimpleFormatter());
        API_SERVER_LOG.setUseParentHandlers(false);
        API_SERVER_LOG.addHandler(handler);
    }

    /** Watches the launcher's Jobs in every namespace; started before the first submission. */
    private Watch watchJobs(KubernetesClient kubernetes) {
        return kubernetes.batch().v1().jobs().inAnyNamespace().withLabel(MANAGED_BY, MANAGER).watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, Job job) {
                long now = System.nanoTime();
                switch (action) {
                    case ADDED -> {
                        addedEvents.incrementAndGet();
                        String runId = job.getMetadata().getAnnotations() == null ? null
                                : job.getMetadata().getAnnotations().get(RUN_ID_ANNOTATION);
                        if (runId != null) {
                            added.putIfAbsent(runId, now);
                        }
                        lastAdded.set(now);
                    }
                    case MODIFIED -> modifiedEvents.incrementAndGet();
                    case DELETED -> deletedEvents.incrementAndGet();
                    default -> {
                    }
                }
            }

            @Override
            public void onClose(WatcherException cause) {
                watchClosed = cause.getMessage();
            }
        });
    }

    /** Submits {@code count} runs of the project from {@link Options#concurrency()} threads. */
    private List<Submitted> submit(URI projectsService, String projectUri, String experimentId, int count)
            throws Exception {
        URI submitUri = projectsService.resolve("/api/2.0/quarkflow/projects/runs/submit");
        List<Submitted> submitted = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(options.concurrency());
        try {
            List<Future<?>> clients = new ArrayList<>();
            for (int c = 0; c < options.concurrency(); c++) {
                clients.add(pool.submit(() -> {
                    for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                        // One parameter, declared by the entry point; its value differs per run.
                        String body = JSON.writeValueAsString(Map.of("uri", projectUri, "entry_point", "main",
                                "parameters", Map.of("alpha", String.valueOf(i / (double) count)),
                                "experiment_id", experimentId));
                        HttpRequest request = HttpRequest.newBuilder(submitUri)
                                .header("Content-Type", "application/json")
                                .header("X-Quarkflow-User", "bench")
                                .header("X-Quarkflow-Internal-Key", INTERNAL_KEY)
                                .POST(HttpRequest.BodyPublishers.ofString(body))
                                .build();
                        long sent = System.nanoTime();
                        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                        long answered = System.nanoTime();
                        if (response.statusCode() != 200) {
                            throw new IllegalStateException("submit answered " + response.statusCode() + ": "
                                    + response.body());
                        }
                        String runId = JSON.readTree(response.body()).path("run").path("run_id").asText();
                        submitted.add(new Submitted(runId, sent, answered));
                    }
                    return null;
                }));
            }
            for (Future<?> client : clients) {
                client.get();
            }
        } finally {
            pool.shutdownNow();
        }
        return List.copyOf(submitted);
    }

    /**
     * Waits until the watch saw a Job for each run, or until no new one appeared for {@link #STALL_TIMEOUT}; the
     * runs without a Job.
     */
    private List<String> awaitJobs(List<Submitted> runs) throws InterruptedException {
        int lastSeen = -1;
        long progress = System.nanoTime();
        while (true) {
            List<String> missing = runs.stream().map(Submitted::runId).filter(id -> !added.containsKey(id)).toList();
            if (missing.isEmpty()) {
                return missing;
            }
            if (missing.size() != lastSeen) {
                lastSeen = missing.size();
                progress = System.nanoTime();
            } else if (System.nanoTime() - progress > STALL_TIMEOUT.toNanos() || watchClosed != null) {
                System.out.printf("%d run(s) got no Job within %d s of the last one that did, e.g. %s%n",
                        missing.size(), STALL_TIMEOUT.toSeconds(), missing.subList(0, Math.min(5, missing.size())));
                return missing;
            }
            Thread.sleep(20);
        }
    }

    /** Every request record on the topic so far, the first by each key (run id). */
    private static Map<String, ConsumerRecord<byte[], byte[]>> readRequests(KafkaBroker kafka) {
        Map<String, ConsumerRecord<byte[], byte[]>> records = new HashMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                "bootstrap.servers", kafka.bootstrapServers()), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.PROJECT_RUNS).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    String key = record.key() == null ? "" : new String(record.key(), StandardCharsets.UTF_8);
                    records.putIfAbsent(key, record);
                }
            }
        }
        return records;
    }

    /**
     * Publishes the request records of {@code duplicates} measured runs again, each to its own partition with its
     * key, value and headers unchanged: what a redelivery looks like to the launcher. The number published.
     */
    private static int republish(KafkaBroker kafka, Map<String, ConsumerRecord<byte[], byte[]>> requests,
                                 List<Submitted> measured, int duplicates) {
        List<String> runIds = new ArrayList<>(measured.stream().map(Submitted::runId).toList());
        Collections.shuffle(runIds, new Random(42));
        List<String> chosen = runIds.subList(0, duplicates);
        List<ConsumerRecord<byte[], byte[]>> originals = chosen.stream().map(requests::get)
                .filter(Objects::nonNull).toList();
        if (originals.size() != chosen.size()) {
            System.out.printf("Only %d of the %d chosen runs' requests were found on %s%n", originals.size(),
                    chosen.size(), Topics.PROJECT_RUNS);
        }
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new ByteArraySerializer(), new ByteArraySerializer())) {
            for (ConsumerRecord<byte[], byte[]> original : originals) {
                producer.send(new ProducerRecord<>(original.topic(), original.partition(), null, original.key(),
                        original.value(), original.headers()));
            }
            producer.flush();
        }
        return originals.size();
    }

    /** Whether the launcher's group committed the topic's end offsets within the timeout. */
    private boolean awaitConsumerGroup(KafkaBroker kafka, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Admin admin = admin(kafka);
             KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                     "bootstrap.servers", kafka.bootstrapServers()), new ByteArrayDeserializer(),
                     new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.PROJECT_RUNS).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (System.nanoTime() < deadline) {
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(LAUNCHER_GROUP)
                        .partitionsToOffsetAndMetadata().get();
                if (partitions.stream().allMatch(p -> committed.get(p) != null
                        && committed.get(p).offset() >= end.get(p))) {
                    return true;
                }
                Thread.sleep(100);
            }
            return false;
        }
    }

    private void report(List<Submitted> measured, Map<String, ConsumerRecord<byte[], byte[]>> requests, long start,
                        long submitEnd, long jobsEnd, List<String> missing) {
        List<Submitted> launched = measured.stream().filter(s -> added.containsKey(s.runId())).toList();
        long[] toJob = launched.stream().mapToLong(s -> added.get(s.runId()) - s.sent()).sorted().toArray();
        long[] toAnswer = measured.stream().mapToLong(s -> s.answered() - s.sent()).sorted().toArray();
        long[] answerToJob = launched.stream().mapToLong(s -> added.get(s.runId()) - s.answered()).sorted().toArray();
        // Broker append times are wall-clock milliseconds; the others System.nanoTime().
        List<Submitted> published = launched.stream().filter(s -> requests.containsKey(s.runId())).toList();
        long[] toKafka = published.stream().mapToLong(s -> nanos(requests.get(s.runId()).timestamp()) - s.sent())
                .sorted().toArray();
        long[] kafkaToJob = published.stream()
                .mapToLong(s -> added.get(s.runId()) - nanos(requests.get(s.runId()).timestamp())).sorted().toArray();
        System.out.printf("%n%d submissions, %d in flight at once, backend kubernetes (fabric8 mock API server, "
                        + "CRUD mode); %d got a Job%n", measured.size(), options.concurrency(), launched.size());
        System.out.printf("Throughput: %.1f submissions/s (first sent to last answered, %.1f s); %.1f Jobs/s (first "
                        + "sent to last Job ADDED, %.1f s)%n",
                measured.size() / ((submitEnd - start) / 1e9), (submitEnd - start) / 1e9,
                launched.size() / ((jobsEnd - start) / 1e9), (jobsEnd - start) / 1e9);
        System.out.println("latency (ms)                         min      p50      p90      p99      max     mean");
        line("submit -> Job ADDED (watch)", toJob);
        line("submit HTTP request alone", toAnswer);
        line("submit answered -> Job ADDED", answerToJob);
        line("submit -> request on Kafka (*)", toKafka);
        line("request on Kafka -> Job ADDED", kafkaToJob);
        System.out.println("(*) the broker's append time, to its millisecond; the rows measure different spans, so "
                + "they do not add up");
        List<Submitted> inOrder = launched.stream().sorted(Comparator.comparingLong(Submitted::sent)).toList();
        StringBuilder tenths = new StringBuilder("submit -> Job ADDED, p50 (ms) of each tenth in order of submission:");
        for (int tenth = 0; tenth < 10 && inOrder.size() >= 10; tenth++) {
            long[] part = inOrder.subList(tenth * inOrder.size() / 10, (tenth + 1) * inOrder.size() / 10).stream()
                    .mapToLong(s -> added.get(s.runId()) - s.sent()).sorted().toArray();
            tenths.append(String.format(" %.0f", percentile(part, 0.50) / 1e6));
        }
        System.out.println(tenths);
        if (!missing.isEmpty()) {
            System.out.println(missing.size() + " measured runs got no Job: " + missing);
        }
    }

    private static void line(String label, long[] sortedNanos) {
        if (sortedNanos.length == 0) {
            System.out.printf("%-32s (no samples)%n", label);
            return;
        }
        System.out.printf("%-32s %8.1f %8.1f %8.1f %8.1f %8.1f %8.1f%n", label, sortedNanos[0] / 1e6,
                percentile(sortedNanos, 0.50) / 1e6, percentile(sortedNanos, 0.90) / 1e6,
                percentile(sortedNanos, 0.99) / 1e6, sortedNanos[sortedNanos.length - 1] / 1e6,
                Arrays.stream(sortedNanos).average().orElse(0) / 1e6);
    }

    /** A wall-clock time in milliseconds as System.nanoTime() read it. */
    private static long nanos(long epochMillis) {
        return EPOCH_TO_NANO_TIME + epochMillis * 1_000_000L;
    }

    /** Nearest rank. */
    private static long percentile(long[] sorted, double quantile) {
        return sorted[Math.max(0, (int) Math.ceil(quantile * sorted.length) - 1)];
    }

    private String createExperiment(URI trackingService, String name) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(trackingService.resolve("/api/2.0/mlflow/experiments/create"))
                .header("Content-Type", "application/json")
                .header("X-Quarkflow-Internal-Key", INTERNAL_KEY)
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(
                        Map.of("name", name + "-" + System.currentTimeMillis()))))
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("experiments/create answered " + response.statusCode() + ": "
                    + response.body());
        }
        JsonNode created = JSON.readTree(response.body());
        return created.path("experiment_id").asText();
    }

    private Service start(String name, Path jar, String healthPath, Map<String, String> env) throws IOException {
        return start(name, jar, ports.next(), healthPath, env);
    }

    /** Starts the service and returns at once, so that the services boot side by side. */
    private Service start(String name, Path jar, int port, String healthPath, Map<String, String> env)
            throws IOException {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(name + " is not packaged: " + jar + " is missing");
        }
        Map<String, String> all = new HashMap<>();
        all.put("QUARKUS_HTTP_HOST", "127.0.0.1");
        all.put("QUARKUS_HTTP_PORT", Integer.toString(port));
        all.put("QUARKUS_DEVSERVICES_ENABLED", "false");
        all.put("QUARKUS_KAFKA_DEVSERVICES_ENABLED", "false");
        all.put("QUARKFLOW_INTERNAL_KEY", INTERNAL_KEY);
        all.putAll(env);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ChildProcess process = ChildProcess.start(Command.of(name, List.of(java, HEAP, "-jar", jar.toString()))
                .withoutInherited(INHERITED_PREFIXES_DROPPED)
                .withEnvironment(all)
                .withDirectory(work)
                .withLog(logDir.resolve(name + ".log")));
        running.add(process);
        return new Service(name, process, loopback(port), loopback(port).resolve(healthPath));
    }

    /** Stops everything in reverse start order and deletes the work directory; safe to call again. */
    private synchronized void close() {
        for (int i = running.size() - 1; i >= 0; i--) {
            try {
                running.get(i).close();
            } catch (Exception e) {
                System.err.println("Could not stop " + running.get(i) + ": " + e);
            }
        }
        running.clear();
        if (work != null) {
            try (Stream<Path> files = Files.walk(work)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            work = null;
        }
    }

    private static Admin admin(KafkaBroker kafka) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()));
    }

    private static Map<String, String> with(Map<String, String> first, Map<String, String> second) {
        Map<String, String> all = new HashMap<>(first);
        all.putAll(second);
        return all;
    }

    private static String label(Job job, String name) {
        return job.getMetadata().getLabels() == null ? null : job.getMetadata().getLabels().get(name);
    }

    private static long count(Path log, String text) {
        try (Stream<String> lines = Files.lines(log, StandardCharsets.ISO_8859_1)) {
            return lines.filter(line -> line.contains(text)).count();
        } catch (IOException e) {
            return -1;
        }
    }

    /** Without a trailing slash. */
    private static URI loopback(int port) {
        return URI.create("http://127.0.0.1:" + port);
    }

    private static String option(List<String> options, String name, String fallback) {
        int index = options.indexOf(name);
        return index >= 0 && index + 1 < options.size() ? options.get(index + 1) : fallback;
    }
}
