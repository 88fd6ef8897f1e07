import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The load generator of bench/versus-mlflow.sh: the same MLflow REST load against MLflow's own server and Quarkflow
 * (through the gateway with a bearer token, and directly on tracking-service). Closed loop: each connection is a
 * thread that sends its next request when the previous one is answered. Each measurement is appended to the results
 * file as one tab-separated line; the phase "table" prints them side by side. Progress goes to stderr.
 *   java bench/VersusMlflow.java PHASE --results FILE [--target NAME,URL[,HEADERS_FILE] ...] [options]
 *   cold    --duration S                   log-batch and log-metric at 16 connections, 3 s warm-up each
 *   warm    --duration S --connections L   two warm-up rounds, then both paths at each number of connections in L
 *   seed    --runs N                       N runs (create + log-batch); prints the experiment's id on stdout
 *   search  --experiment ID --runs N --duration S --state TEXT   the search shapes over the seeded runs
 *   shapes  --experiment ID --runs N --state TEXT   prints the search shapes for wrk (bench/versus-search.lua)
 *   history --points P --duration S        one metric of P points logged, then read back whole
 *   table   --mlflow-name TEXT             the table of all results
 *   runs    --count N                      N runs in a new experiment; prints their ids, comma-separated
 *   record  --label L --kind rate --points P --requests R --seconds S --p50 MS --p99 MS
 *                                          appends a measurement made elsewhere (by wrk) to the results
 * A failed request, or a search or history that returns the wrong number of rows, ends it with an error.
 */
public class VersusMlflow {

    private static final Pattern RUN_ID = Pattern.compile("\"run_id\"\\s*:\\s*\"([0-9a-fA-F]+)\"");
    private static final Pattern EXPERIMENT_ID = Pattern.compile("\"experiment_id\"\\s*:\\s*\"([^\"]+)\"");
    private static final List<String> TARGETS = List.of("mlflow", "gateway", "direct");
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    /** Every logged point gets its own step, so no two requests log the same (key, step, timestamp). */
    private static final AtomicLong STEP = new AtomicLong();

    /** A server, and the headers every request to it carries ("Name: value" lines of a file). */
    record Target(String name, String api, List<String[]> headers) {}

    /** One measurement: requests answered in the measured window, its length, latency percentiles in ms. */
    record Figures(long requests, double seconds, double p50, double p99) {
        double perSecond() {
            return requests / seconds;
        }
    }

    /** One connection's next call; false when there is no more work (a fixed number of calls). */
    interface Call {
        boolean send(int connection) throws Exception;
    }

    private final Map<String, List<String>> options;
    private final Path results;

    VersusMlflow(Map<String, List<String>> options) {
        this.options = options;
        this.results = Path.of(option("--results", null));
    }

    public static void main(String[] args) throws Exception {
        Map<String, List<String>> options = new LinkedHashMap<>();
        for (int i = 1; i < args.length; i += 2) {
            if (!args[i].startsWith("--") || i + 1 == args.length) {
                throw new IllegalArgumentException("expected --option value, got " + args[i]);
            }
            options.computeIfAbsent(args[i], k -> new ArrayList<>()).add(args[i + 1]);
        }
        VersusMlflow bench = new VersusMlflow(options);
        try {
            switch (args.length == 0 ? "" : args[0]) {
                case "cold" -> bench.cold();
                case "warm" -> bench.warm();
                case "seed" -> bench.seed();
                case "search" -> bench.search();
                case "shapes" -> bench.printShapes();
                case "history" -> bench.history();
                case "table" -> bench.table();
                case "runs" -> bench.runs();
                case "record" -> bench.recordMeasured();
                default -> throw new IllegalArgumentException("phase: cold, warm, seed, search, history or table");
            }
        } catch (Exception e) {
            System.err.println("versus-mlflow: " + e.getMessage());
            System.exit(1);
        }
        System.exit(0); // the HTTP client's threads would keep the JVM alive a while
    }

    /** Right after the server started: each path 3 s of warm-up, then --duration seconds, 16 connections. */
    void cold() throws Exception {
        double seconds = number("--duration", 20);
        for (Target target : targets()) {
            List<String> runs = createRuns(target, "cold", 16);
            record(target, "cold: log-batch ×100, 16 conn", "rate", 100,
                    closedLoop(16, 3, seconds, 0, c -> logBatch(target, runs.get(c))));
            record(target, "cold: log-metric, 16 conn", "rate", 1,
                    closedLoop(16, 3, seconds, 0, c -> logMetric(target, runs.get(c))));
        }
    }

    /** Runs for a load generator of its own (wrk): their ids on stdout. */
    void runs() throws Exception {
        for (Target target : targets()) {
            System.out.println(String.join(",", createRuns(target, "wrk", (int) number("--count", 16))));
        }
    }

    /** A measurement made by another load generator (wrk), recorded as this one records its own. */
    void recordMeasured() throws Exception {
        record(targets().get(0), option("--label", null), option("--kind", "rate"), (int) number("--points", 1),
                new Figures((long) number("--requests", 0), number("--seconds", 0), number("--p50", -1),
                        number("--p99", -1)));
    }

    /** Two unmeasured rounds of both paths at 16 connections (the JIT compiles the hot paths), then each size. */
    void warm() throws Exception {
        double seconds = number("--duration", 20);
        List<Integer> sizes = new ArrayList<>();
        for (String size : option("--connections", "1,4,16,64").split(",")) {
            sizes.add(Integer.parseInt(size.trim()));
        }
        for (Target target : targets()) {
            List<String> runs = createRuns(target, "warm", Math.max(16, Collections.max(sizes)));
            for (int round = 1; round <= 2; round++) {
                System.err.printf("[%s] warm-up round %d%n", target.name(), round);
                closedLoop(16, seconds, 0, 0, c -> logBatch(target, runs.get(c)));
                closedLoop(16, seconds, 0, 0, c -> logMetric(target, runs.get(c)));
            }
            for (int n : sizes) {
                record(target, "warm: log-batch ×100, " + n + " conn", "rate", 100,
                        closedLoop(n, 0, seconds, 0, c -> logBatch(target, runs.get(c))));
            }
            for (int n : sizes) {
                record(target, "warm: log-metric, " + n + " conn", "rate", 1,
                        closedLoop(n, 0, seconds, 0, c -> logMetric(target, runs.get(c))));
            }
        }
    }

    /** Runs shaped as TrackingBench seeds them: 5 params, 5 metrics, a tag; 16 connections. */
    void seed() throws Exception {
        int runs = (int) number("--runs", 10_000);
        for (Target target : targets()) {
            String experiment = createExperiment(target, "seed");
            AtomicInteger next = new AtomicInteger();
            Figures runsDone = closedLoop(16, 0, Double.MAX_VALUE, 0, c -> {
                int i = next.getAndIncrement();
                if (i >= runs) {
                    return false;
                }
                String runId = createRun(target, experiment);
                StringBuilder body = new StringBuilder("{\"run_id\":\"" + runId + "\",\"metrics\":[");
                for (int m = 0; m < 5; m++) {
                    body.append(m == 0 ? "" : ",").append("{\"key\":\"m").append(m).append("\",\"value\":")
                            .append(seedMetric(i, m)).append(",\"timestamp\":1,\"step\":0}");
                }
                body.append("],\"params\":[");
                for (int p = 0; p < 5; p++) {
                    body.append(p == 0 ? "" : ",").append("{\"key\":\"p").append(p).append("\",\"value\":\"")
                            .append(seedParam(i, p)).append("\"}");
                }
                body.append("],\"tags\":[{\"key\":\"team\",\"value\":\"").append(seedTeam(i)).append("\"}]}");
                post(target, "runs/log-batch", body.toString());
                return true;
            });
            // Two requests per run; the latencies are of both together, so the cell shows the rate only.
            record(target, String.format(Locale.ROOT, "seeding %,d runs, 16 conn", runs), "rate",
                    1, new Figures(2 * runsDone.requests(), runsDone.seconds(), -1, -1));
            System.out.println(experiment);
        }
    }

    private static double seedMetric(int i, int m) {
        return ((i * 7919L + m * 104729L) % 10007) / 10007.0;
    }

    private static String seedParam(int i, int p) {
        return "v" + (i + p) % 1000;
    }

    private static String seedTeam(int i) {
        return "team-" + i % 100;
    }

    record Shape(String label, String body, int expected, int connections) {}

    /** The search shapes over the seeded experiment, each with the number of runs it must return. */
    static List<Shape> shapes(String experiment, int runs) {
        String ids = "\"experiment_ids\":[\"" + experiment + "\"]";
        // The first param value that some run with metric m1 > 0.5 has, so the filter finds something.
        int value = 42, filtered = 0;
        for (int k = 42; filtered == 0 && k < 42 + 1000; k++) {
            value = k % 1000;
            for (int i = 0; i < runs; i++) {
                filtered += seedParam(i, 1).equals("v" + value) && seedMetric(i, 1) > 0.5 ? 1 : 0;
            }
        }
        int teams4 = 0; // team-4 and team-40 .. team-49
        for (int i = 0; i < runs; i++) {
            teams4 += seedTeam(i).startsWith("team-4") ? 1 : 0;
        }
        String filter = "{" + ids + ",\"max_results\":100,\"filter\":\"metrics.m1 > 0.5 and params.p1 = 'v" + value
                + "'\",\"order_by\":[\"metrics.m2 DESC\"]}";
        String like = ",\"filter\":\"tags.team LIKE 'team-4%'\"}";
        return List.of(
                new Shape("filter, order by metric, 1 conn", filter, Math.min(100, filtered), 1),
                new Shape("filter, order by metric, 16 conn", filter, Math.min(100, filtered), 16),
                new Shape("no filter, max 100, 1 conn", "{" + ids + ",\"max_results\":100}", Math.min(100, runs), 1),
                new Shape("tag LIKE, max 100, 1 conn", "{" + ids + ",\"max_results\":100" + like,
                        Math.min(100, teams4), 1),
                new Shape("tag LIKE, max 1,000, 1 conn", "{" + ids + ",\"max_results\":1000" + like,
                        Math.min(1000, teams4), 1));
    }

    /** Each shape on each target in turn, --experiment holding --runs seeded runs; each answer checked. */
    void search() throws Exception {
        int runs = (int) number("--runs", 10_000);
        double seconds = number("--duration", 10);
        String state = option("--state", "");
        for (Shape shape : shapes(option("--experiment", null), runs)) {
            for (Target target : targets()) {
                record(target, searchLabel(runs, state, shape), searchKind(shape), 1,
                        closedLoop(shape.connections(), 3, seconds, 3, c -> {
                            String response = post(target, "runs/search", shape.body());
                            int found = occurrences(response, "\"run_id\"");
                            if (found != shape.expected()) {
                                throw new IllegalStateException(target.name() + ": " + shape.label() + " returned "
                                        + found + " runs, expected " + shape.expected());
                            }
                            return true;
                        }));
            }
        }
    }

    /**
     * The search shapes for another load generator (wrk), one per line: label, kind, connections, the number of runs
     * each answer must hold and the request's JSON, separated by tabs.
     */
    void printShapes() {
        int runs = (int) number("--runs", 10_000);
        String state = option("--state", "");
        for (Shape shape : shapes(option("--experiment", null), runs)) {
            System.out.println(String.join("\t", searchLabel(runs, state, shape), searchKind(shape),
                    String.valueOf(shape.connections()), String.valueOf(shape.expected()), shape.body()));
        }
    }

    private static String searchLabel(int runs, String state, Shape shape) {
        return String.format(Locale.ROOT, "search %,d runs, %s: %s", runs, state, shape.label());
    }

    /** One connection measures latency; more measure the rate. */
    private static String searchKind(Shape shape) {
        return shape.connections() == 1 ? "latency" : "rate";
    }

    /** --points points of one metric logged 1,000 per log-batch, then get-history of all of them. */
    void history() throws Exception {
        int points = (int) number("--points", 100_000);
        double seconds = number("--duration", 10);
        for (Target target : targets()) {
            String runId = createRuns(target, "history", 1).get(0);
            for (int offset = 0; offset < points; offset += 1000) {
                StringBuilder metrics = new StringBuilder();
                for (int p = offset; p < Math.min(points, offset + 1000); p++) {
                    metrics.append(p == offset ? "" : ",").append("{\"key\":\"loss\",\"value\":").append(1.0 / (p + 1))
                            .append(",\"timestamp\":").append(1_700_000_000_000L + p).append(",\"step\":").append(p)
                            .append('}');
                }
                post(target, "runs/log-batch", "{\"run_id\":\"" + runId + "\",\"metrics\":[" + metrics + "]}");
            }
            String query = "metrics/get-history?run_id=" + runId + "&metric_key=loss";
            get(target, query); // the first read is not measured
            record(target, String.format(Locale.ROOT, "get-metric-history, %,d points, 1 conn", points), "latency", 1,
                    closedLoop(1, 0, seconds, 5, c -> {
                        int read = occurrences(get(target, query), "\"step\"");
                        if (read != points) {
                            throw new IllegalStateException(target.name() + ": history has " + read + " points");
                        }
                        return true;
                    }));
        }
    }

    /**
     * {@code connections} threads call until {@code warmup + seconds} have passed and each made {@code minCount}
     * measured calls (or a call says there is no more work); calls begun in the warm-up are not measured.
     */
    static Figures closedLoop(int connections, double warmup, double seconds, int minCount, Call call)
            throws Exception {
        long measureFrom = System.nanoTime() + (long) (warmup * 1e9);
        long until = seconds >= Double.MAX_VALUE ? Long.MAX_VALUE : measureFrom + (long) (seconds * 1e9);
        ExecutorService pool = Executors.newFixedThreadPool(connections);
        List<Future<List<Long>>> workers = new ArrayList<>();
        AtomicLong lastEnd = new AtomicLong(measureFrom);
        try {
            for (int c = 0; c < connections; c++) {
                int connection = c;
                workers.add(pool.submit(() -> {
                    List<Long> latencies = new ArrayList<>();
                    for (long start = System.nanoTime(); start < until || latencies.size() < minCount;
                         start = System.nanoTime()) {
                        if (!call.send(connection)) {
                            break;
                        }
                        long end = System.nanoTime();
                        if (start >= measureFrom) {
                            latencies.add(end - start);
                            lastEnd.accumulateAndGet(end, Math::max);
                        }
                    }
                    return latencies;
                }));
            }
            List<Long> all = new ArrayList<>();
            for (Future<List<Long>> worker : workers) {
                all.addAll(worker.get());
            }
            Collections.sort(all);
            return new Figures(all.size(), (lastEnd.get() - measureFrom) / 1e9, percentile(all, 50),
                    percentile(all, 99));
        } finally {
            pool.shutdownNow();
        }
    }

    private static double percentile(List<Long> sorted, int percentile) {
        return sorted.isEmpty() ? Double.NaN
                : sorted.get(Math.max(0, (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1)) / 1e6;
    }

    private void record(Target target, String label, String kind, int pointsPerRequest, Figures f) throws Exception {
        System.err.printf(Locale.ROOT, "[%s] %s: %s (%,d requests in %.1f s)%n", target.name(), label,
                cell(kind, pointsPerRequest, f), f.requests(), f.seconds());
        String line = String.join("\t", label, kind, target.name(), String.valueOf(f.requests()),
                String.valueOf(f.seconds()), String.valueOf(f.p50()), String.valueOf(f.p99()),
                String.valueOf(pointsPerRequest));
        Files.writeString(results, line + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /** One row per label, in the order measured; the ratio says how many times better via the gateway is. */
    void table() throws Exception {
        Map<String, Map<String, String[]>> rows = new LinkedHashMap<>();
        for (String line : Files.readAllLines(results)) {
            String[] f = line.split("\t");
            rows.computeIfAbsent(f[0], k -> new LinkedHashMap<>()).put(f[2], f);
        }
        List<String[]> table = new ArrayList<>();
        table.add(new String[] {"path", option("--mlflow-name", "MLflow"), "Quarkflow via gateway",
                "Quarkflow direct", "gateway vs MLflow"});
        rows.forEach((label, byTarget) -> {
            String[] row = {label, "-", "-", "-", ""};
            for (int t = 0; t < TARGETS.size(); t++) {
                String[] f = byTarget.get(TARGETS.get(t));
                if (f != null) {
                    row[t + 1] = cell(f[1], Integer.parseInt(f[7]), figures(f));
                }
            }
            String[] mlflow = byTarget.get("mlflow"), gateway = byTarget.get("gateway");
            if (mlflow != null && gateway != null) {
                Figures m = figures(mlflow), g = figures(gateway);
                double ratio = mlflow[1].equals("rate") ? g.perSecond() / m.perSecond() : m.p50() / g.p50();
                row[4] = String.format(Locale.ROOT, "%.1f×", ratio);
            }
            table.add(row);
        });
        int[] widths = new int[5];
        for (String[] row : table) {
            for (int c = 0; c < 5; c++) {
                widths[c] = Math.max(widths[c], row[c].length());
            }
        }
        for (String[] row : table) {
            StringBuilder line = new StringBuilder(String.format("%-" + widths[0] + "s", row[0]));
            for (int c = 1; c < 5; c++) {
                line.append(" | ").append(String.format("%" + widths[c] + "s", row[c]));
            }
            System.out.println(line);
        }
        System.out.println("A rate cell is requests/s (metric points/s for log-batch), then p50/p99 latency in ms;"
                + " a latency cell is p50/p99 in ms.\nThe ratio is Quarkflow via the gateway against MLflow:"
                + " requests/s divided by MLflow's, or MLflow's p50 divided by its p50; above 1 is faster.");
    }

    private static Figures figures(String[] f) {
        return new Figures(Long.parseLong(f[3]), Double.parseDouble(f[4]), Double.parseDouble(f[5]),
                Double.parseDouble(f[6]));
    }

    private static String cell(String kind, int pointsPerRequest, Figures f) {
        String latency = f.p50() < 0 ? "" : ms(f.p50()) + "/" + ms(f.p99()) + " ms";
        if (kind.equals("latency")) {
            return latency;
        }
        String rate = String.format(Locale.ROOT, "%,.0f/s", f.perSecond());
        if (pointsPerRequest > 1) {
            rate += String.format(Locale.ROOT, " (%,.0f pts/s)", f.perSecond() * pointsPerRequest);
        }
        return latency.isEmpty() ? rate : rate + ", " + latency;
    }

    private static String ms(double ms) {
        return String.format(Locale.ROOT, ms < 10 ? "%.1f" : "%,.0f", ms);
    }

    // --- MLflow's REST API

    private static boolean logBatch(Target target, String runId) throws Exception {
        long step = STEP.incrementAndGet();
        StringBuilder metrics = new StringBuilder();
        for (int m = 0; m < 100; m++) {
            metrics.append(m == 0 ? "" : ",").append("{\"key\":\"loss_").append(m).append("\",\"value\":")
                    .append(ThreadLocalRandom.current().nextDouble()).append(",\"timestamp\":")
                    .append(1_700_000_000_000L + step).append(",\"step\":").append(step).append('}');
        }
        post(target, "runs/log-batch", "{\"run_id\":\"" + runId + "\",\"metrics\":[" + metrics + "]}");
        return true;
    }

    private static boolean logMetric(Target target, String runId) throws Exception {
        long step = STEP.incrementAndGet();
        post(target, "runs/log-metric", "{\"run_id\":\"" + runId + "\",\"key\":\"loss\",\"value\":"
                + ThreadLocalRandom.current().nextDouble() + ",\"timestamp\":" + (1_700_000_000_000L + step)
                + ",\"step\":" + step + "}");
        return true;
    }

    private static List<String> createRuns(Target target, String phase, int count) throws Exception {
        String experiment = createExperiment(target, phase);
        List<String> runs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            runs.add(createRun(target, experiment));
        }
        return runs;
    }

    private static String createExperiment(Target target, String phase) throws Exception {
        String name = "versus-" + phase + "-" + target.name() + "-" + System.currentTimeMillis();
        return first(EXPERIMENT_ID, post(target, "experiments/create", "{\"name\":\"" + name + "\"}"));
    }

    private static String createRun(Target target, String experiment) throws Exception {
        return first(RUN_ID, post(target, "runs/create", "{\"experiment_id\":\"" + experiment + "\",\"start_time\":"
                + System.currentTimeMillis() + "}"));
    }

    private static String post(Target target, String path, String json) throws Exception {
        return send(target, path, request(target, path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    private static String get(Target target, String pathAndQuery) throws Exception {
        return send(target, pathAndQuery, request(target, pathAndQuery).GET());
    }

    private static HttpRequest.Builder request(Target target, String pathAndQuery) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(target.api() + pathAndQuery))
                .timeout(Duration.ofMinutes(10));
        target.headers().forEach(header -> builder.header(header[0], header[1]));
        return builder;
    }

    private static String send(Target target, String path, HttpRequest.Builder request) throws Exception {
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException(target.name() + " " + path + " -> " + response.statusCode() + " "
                    + response.body().substring(0, Math.min(500, response.body().length())));
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

    private static int occurrences(String text, String part) {
        int n = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + part.length())) {
            n++;
        }
        return n;
    }

    // --- options

    private List<Target> targets() throws Exception {
        List<Target> targets = new ArrayList<>();
        for (String spec : options.getOrDefault("--target", List.of())) {
            String[] parts = spec.split(",", 3);
            List<String[]> headers = new ArrayList<>();
            for (String line : parts.length < 3 ? List.<String>of() : Files.readAllLines(Path.of(parts[2]))) {
                headers.add(line.split(":\\s*", 2));
            }
            targets.add(new Target(parts[0], parts[1].replaceAll("/+$", "") + "/api/2.0/mlflow/", headers));
        }
        return targets;
    }

    private String option(String name, String fallback) {
        List<String> values = options.get(name);
        if (values == null && fallback == null) {
            throw new IllegalArgumentException("missing option " + name);
        }
        return values == null ? fallback : values.get(values.size() - 1);
    }

    private double number(String name, double fallback) {
        return Double.parseDouble(option(name, String.valueOf(fallback)));
    }
}
