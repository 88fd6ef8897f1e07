import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the gateway adds to a small request: the same GET straight to tracking-service and through the gateway,
 * one connection at a time and then from several at once, with p50/p99 of each and the difference.
 * Run with bench/run.sh gateway, or: java bench/GatewayLatency.java --direct URL --gateway URL --token TOKEN
 * [--path P] [--requests N] [--warmup N] [--concurrency N]
 */
public class GatewayLatency {

    /**
     * One way of reaching the service; the gateway needs the credentials, tracking-service the suite's internal key
     * (QUARKFLOW_INTERNAL_KEY, bench/lib.sh internal_key) and the caller's name, as the gateway sends them.
     */
    private record Target(String name, URI uri, String authorization) {

        HttpRequest request() {
            HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30));
            if (authorization != null) {
                builder.header("Authorization", authorization);
            } else if (System.getenv("QUARKFLOW_INTERNAL_KEY") != null) {
                builder.header("X-Quarkflow-Internal-Key", System.getenv("QUARKFLOW_INTERNAL_KEY"))
                        .header("X-Quarkflow-User", "local");
            }
            return builder.build();
        }
    }

    private record Figures(double p50, double p99, double perSecond) {
    }

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    public static void main(String[] args) throws Exception {
        String path = option(args, "--path", "/api/2.0/mlflow/experiments/get?experiment_id=0");
        int requests = Integer.parseInt(option(args, "--requests", "5000"));
        int warmup = Integer.parseInt(option(args, "--warmup", "2000"));
        int concurrency = Integer.parseInt(option(args, "--concurrency", "8"));
        Target direct = new Target("direct", URI.create(option(args, "--direct", null) + path), null);
        Target gateway = new Target("gateway", URI.create(option(args, "--gateway", null) + path),
                "Bearer " + option(args, "--token", null));
        GatewayLatency bench = new GatewayLatency();

        // Warm both JITs and connection pools with the concurrency measured later.
        bench.measure(direct, warmup, concurrency);
        bench.measure(gateway, warmup, concurrency);
        System.out.printf(Locale.ROOT, "GET %s: %d requests per row after %d warm-up requests per target%n",
                path, requests, warmup);
        System.out.printf(Locale.ROOT, "%-15s %-22s %9s %9s %9s%n", "connections", "target", "p50 ms", "p99 ms",
                "req/s");
        for (int connections : List.of(1, concurrency)) {
            Figures viaDirect = bench.measure(direct, requests, connections);
            Figures viaGateway = bench.measure(gateway, requests, connections);
            row(connections, "tracking-service", viaDirect);
            row(connections, "gateway (Bearer)", viaGateway);
            System.out.printf(Locale.ROOT, "%-15d %-22s %+9.2f %+9.2f%n", connections, "added by the gateway",
                    viaGateway.p50() - viaDirect.p50(), viaGateway.p99() - viaDirect.p99());
        }
    }

    /** Sends {@code requests} GETs from {@code connections} threads, each waiting for its answer before the next. */
    Figures measure(Target target, int requests, int connections) throws Exception {
        long[] nanos = new long[requests];
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(connections);
        List<Future<?>> workers = new ArrayList<>();
        long start = System.nanoTime();
        for (int t = 0; t < connections; t++) {
            workers.add(pool.submit(() -> {
                for (int i = next.getAndIncrement(); i < requests; i = next.getAndIncrement()) {
                    nanos[i] = timed(target);
                }
                return null;
            }));
        }
        for (Future<?> worker : workers) {
            worker.get();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        Arrays.sort(nanos);
        return new Figures(percentile(nanos, 50), percentile(nanos, 99), requests / seconds);
    }

    private long timed(Target target) throws Exception {
        long start = System.nanoTime();
        HttpResponse<String> response = http.send(target.request(), HttpResponse.BodyHandlers.ofString());
        long elapsed = System.nanoTime() - start;
        if (response.statusCode() != 200) {
            throw new IllegalStateException(target.name() + " answered " + response.statusCode() + ": "
                    + response.body());
        }
        return elapsed;
    }

    private static void row(int connections, String target, Figures figures) {
        System.out.printf(Locale.ROOT, "%-15d %-22s %9.2f %9.2f %9.0f%n", connections, target, figures.p50(),
                figures.p99(), figures.perSecond());
    }

    /** Nearest-rank percentile of sorted nanoseconds, in milliseconds. */
    private static double percentile(long[] sorted, int percentile) {
        int index = (int) Math.ceil(percentile / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, index)] / 1e6;
    }

    private static String option(String[] args, String name, String fallback) {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        if (fallback == null) {
            throw new IllegalArgumentException(name + " is required");
        }
        return fallback;
    }
}
