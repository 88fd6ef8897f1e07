import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Load generator for any MLflow-compatible tracking server (Quarkflow or MLflow's own), REST API only.
 * Run with: bench/run.sh tracking (see bench/README.md), or java bench/TrackingBench.java --url URL [--pid PID] ...
 * Prints: (a) log-batch throughput, (b) search-runs latency over the seeded runs, (c) metric-history latency,
 * (d) the server's resident memory when --pid is given.
 */
public class TrackingBench {

    private static final List<String> OPTIONS = List.of("--url", "--pid", "--runs", "--concurrency", "--batches",
            "--history-points", "--search-max-results");

    private static final Pattern RUN_ID = Pattern.compile("\"run_id\"\\s*:\\s*\"([0-9a-fA-F]+)\"");
    private static final Pattern EXPERIMENT_ID = Pattern.compile("\"experiment_id\"\\s*:\\s*\"([^\"]+)\"");

    private final String api;
    private final String token = System.getenv("MLFLOW_TRACKING_TOKEN");
    /** A suite's service measured directly requires its internal key (bench/lib.sh internal_key). */
    private final String internalKey = System.getenv("QUARKFLOW_INTERNAL_KEY");
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    TrackingBench(String url) {
        this.api = url.replaceAll("/+$", "") + "/api/2.0/mlflow/";
    }

    public static void main(String[] args) throws Exception {
        // A mistyped option would otherwise leave a default in place, and a scaled-down run would take its full time.
        for (int i = 0; i < args.length; i += 2) {
            if (!OPTIONS.contains(args[i]) || i + 1 == args.length) {
                throw new IllegalArgumentException("unknown option or missing value: " + args[i] + "; options: " + OPTIONS);
            }
        }
        String url = option(args, "--url", "http://127.0.0.1:5000");
        int runs = Integer.parseInt(option(args, "--runs", "100000"));
        int concurrency = Integer.parseInt(option(args, "--concurrency", "16"));
        int batches = Integer.parseInt(option(args, "--batches", "3000"));
        int historyPoints = Integer.parseInt(option(args, "--history-points", "100000"));
        int searchMax = Integer.parseInt(option(args, "--search-max-results", "100"));
        String pid = option(args, "--pid", "");
        TrackingBench bench = new TrackingBench(url);
        System.out.printf(Locale.ROOT, "server %s, %d concurrent connections%n", url, concurrency);
        String experiment = bench.createExperiment("bench-" + System.currentTimeMillis());
        bench.logBatchThroughput(experiment, concurrency, batches);
        bench.searchLatency(experiment, runs, concurrency, searchMax);
        bench.historyLatency(experiment, historyPoints);
        if (!pid.isEmpty()) {
            System.out.println("(d) server memory: " + memory(pid));
        }
    }

    /** (a) 100 metrics per request from {@code concurrency} connections, each to its own run. */
    void logBatchThroughput(String experiment, int concurrency, int batches) throws Exception {
        String[] runIds = new String[concurrency];
        for (int i = 0; i < concurrency; i++) {
            runIds[i] = createRun(experiment, 0);
        }
        AtomicInteger stepCounter = new AtomicInteger();
        long start = System.nanoTime();
        long[] latencies = run(concurrency, batches, i -> {
            long step = stepCounter.getAndIncrement();
            StringBuilder metrics = new StringBuilder();
            for (int m = 0; m < 100; m++) {
                metrics.append(m == 0 ? "" : ",").append("{\"key\":\"loss_").append(m).append("\",\"value\":")
                        .append(Math.random()).append(",\"timestamp\":").append(1_700_000_000_000L + step)
                        .append(",\"step\":").append(step).append('}');
            }
            return post("runs/log-batch", "{\"run_id\":\"" + runIds[i % concurrency] + "\",\"metrics\":[" + metrics + "]}");
        });
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(Locale.ROOT, "(a) log-batch, 100 metrics/request: %d requests in %.1f s = %.0f requests/s, "
                        + "%.0f metric points/s, latency p50 %.1f ms, p99 %.1f ms%n", batches, seconds,
                batches / seconds, batches * 100 / seconds, percentile(latencies, 50), percentile(latencies, 99));
    }

    /** (b) seeds runs with 5 params, 5 metrics and a tag, then times three query shapes. */
    void searchLatency(String experiment, int runs, int concurrency, int maxResults) throws Exception {
        long start = System.nanoTime();
        run(concurrency, runs, i -> {
            String runId = createRun(experiment, 1_600_000_000_000L + i);
            StringBuilder body = new StringBuilder("{\"run_id\":\"" + runId + "\",\"metrics\":[");
            for (int m = 0; m < 5; m++) {
                body.append(m == 0 ? "" : ",").append("{\"key\":\"m").append(m).append("\",\"value\":")
                        .append(((i * 7919L + m * 104729L) % 10007) / 10007.0).append(",\"timestamp\":1,\"step\":0}");
            }
            body.append("],\"params\":[");
            for (int p = 0; p < 5; p++) {
                body.append(p == 0 ? "" : ",").append("{\"key\":\"p").append(p).append("\",\"value\":\"v")
                        .append((i + p) % 1000).append("\"}");
            }
            body.append("],\"tags\":[{\"key\":\"team\",\"value\":\"team-").append(i % 100).append("\"}]}");
            return post("runs/log-batch", body.toString());
        });
        System.out.printf(Locale.ROOT, "    seeded %d runs (create + log-batch each) in %.1f s%n", runs,
                (System.nanoTime() - start) / 1e9);
        String ids = "\"experiment_ids\":[\"" + experiment + "\"],\"max_results\":" + maxResults;
        timeSearch("metric filter + order by metric", "{" + ids
                + ",\"filter\":\"metrics.m1 > 0.5\",\"order_by\":[\"metrics.m2 DESC\"]}");
        timeSearch("param equality", "{" + ids + ",\"filter\":\"params.p1 = 'v42'\"}");
        timeSearch("tag LIKE", "{" + ids + ",\"filter\":\"tags.team LIKE 'team-4%'\"}");
    }

    private void timeSearch(String shape, String body) throws Exception {
        for (int i = 0; i < 20; i++) {
            post("runs/search", body);
        }
        long[] latencies = new long[200];
        int found = 0;
        for (int i = 0; i < latencies.length; i++) {
            long t = System.nanoTime();
            String response = post("runs/search", body);
            latencies[i] = System.nanoTime() - t;
            found = count(RUN_ID, response);
        }
        System.out.printf(Locale.ROOT, "(b) search-runs, %s: p50 %.1f ms, p99 %.1f ms (%d runs per page)%n", shape,
                percentile(latencies, 50), percentile(latencies, 99), found);
    }

    /** (c) one metric key with {@code points} points, read back whole. */
    void historyLatency(String experiment, int points) throws Exception {
        String runId = createRun(experiment, 0);
        for (int offset = 0; offset < points; offset += 1000) {
            StringBuilder metrics = new StringBuilder();
            for (int p = offset; p < Math.min(points, offset + 1000); p++) {
                metrics.append(p == offset ? "" : ",").append("{\"key\":\"loss\",\"value\":").append(1.0 / (p + 1))
                        .append(",\"timestamp\":").append(1_700_000_000_000L + p).append(",\"step\":").append(p).append('}');
            }
            post("runs/log-batch", "{\"run_id\":\"" + runId + "\",\"metrics\":[" + metrics + "]}");
        }
        String query = "metrics/get-history?run_id=" + runId + "&metric_key=loss";
        get(query);
        long[] latencies = new long[20];
        int read = 0;
        for (int i = 0; i < latencies.length; i++) {
            long t = System.nanoTime();
            String response = get(query);
            latencies[i] = System.nanoTime() - t;
            read = response.split("\"step\"", -1).length - 1;
        }
        System.out.printf(Locale.ROOT, "(c) get-metric-history of %d points: p50 %.1f ms, p99 %.1f ms%n", read,
                percentile(latencies, 50), percentile(latencies, 99));
    }

    private interface Call {
        String apply(int i) throws Exception;
    }

    /** Runs {@code total} calls over {@code concurrency} threads and returns each call's latency in nanoseconds. */
    private static long[] run(int concurrency, int total, Call call) throws Exception {
        long[] latencies = new long[total];
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int w = 0; w < concurrency; w++) {
                workers.add(pool.submit(() -> {
                    for (int i = next.getAndIncrement(); i < total; i = next.getAndIncrement()) {
                        long t = System.nanoTime();
                        call.apply(i);
                        latencies[i] = System.nanoTime() - t;
                    }
                    return null;
                }));
            }
            for (Future<?> worker : workers) {
                worker.get();
            }
        } finally {
            pool.shutdownNow();
        }
        return latencies;
    }

    String createExperiment(String name) throws Exception {
        return first(EXPERIMENT_ID, post("experiments/create", "{\"name\":\"" + name + "\"}"));
    }

    String createRun(String experiment, long startTime) throws Exception {
        String body = "{\"experiment_id\":\"" + experiment + "\"" + (startTime > 0 ? ",\"start_time\":" + startTime : "") + "}";
        return first(RUN_ID, post("runs/create", body));
    }

    String post(String path, String json) throws IOException, InterruptedException {
        return check(path, http.send(request(path)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString()));
    }

    String get(String pathAndQuery) throws IOException, InterruptedException {
        return check(pathAndQuery, http.send(request(pathAndQuery).GET().build(), HttpResponse.BodyHandlers.ofString()));
    }

    /** Sends MLFLOW_TRACKING_TOKEN as MLflow's clients do, so a server behind Quarkflow's gateway can be measured. */
    private HttpRequest.Builder request(String pathAndQuery) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(api + pathAndQuery));
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        if (internalKey != null) {
            builder.header("X-Quarkflow-Internal-Key", internalKey).header("X-Quarkflow-User", "local");
        }
        return builder;
    }

    private static String check(String path, HttpResponse<String> response) {
        if (response.statusCode() != 200) {
            throw new IllegalStateException(path + " -> " + response.statusCode() + " " + response.body());
        }
        return response.body();
    }

    private static String first(Pattern pattern, String text) {
        Matcher matcher = pattern.matcher(text);
        if (!matcher.find()) {
            throw new IllegalStateException("unexpected response: " + text);
        }
        return matcher.group(1);
    }

    private static int count(Pattern pattern, String text) {
        Matcher matcher = pattern.matcher(text);
        int n = 0;
        while (matcher.find()) {
            n++;
        }
        return n;
    }

    private static double percentile(long[] nanos, int percentile) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        int index = (int) Math.ceil(percentile / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, index)] / 1e6;
    }

    private static String memory(String pid) throws IOException {
        StringBuilder out = new StringBuilder();
        for (String line : Files.readAllLines(Path.of("/proc", pid, "status"))) {
            if (line.startsWith("VmRSS") || line.startsWith("VmHWM")) {
                out.append(line.replaceAll("\\s+", " ")).append("; ");
            }
        }
        return out.toString();
    }

    private static String option(String[] args, String name, String fallback) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return fallback;
    }
}
