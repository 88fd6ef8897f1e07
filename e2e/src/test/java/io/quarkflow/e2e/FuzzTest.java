package io.quarkflow.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static io.quarkflow.e2e.MlflowMessages.uniqueName;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 17 item 8: seeded random requests through the authenticating gateway, as the editor, from
 * {@link FuzzCases} (mutated bodies of every write route, query strings, search filters, artifact paths). Each
 * answer must be below 500; each error must be MLflow's JSON ({@code error_code}, {@code message},
 * {@code application/json}); and a request answered 4xx must leave the whole state as it found it.
 *
 * <p>The state is every table of tracking-service's and projects-service's schemas (one md5 per table, all in one
 * statement) and the S3Proxy directory (names, sizes, modification times). It is digested after every request,
 * and that digest is the next request's "before": each 4xx is compared with exactly the state the previous answer
 * left, so a change is pinned on one request, not on a batch. What keeps one digest per request cheap: the tables
 * are read again only when PostgreSQL's transaction snapshot moved (reads and most rejections take no transaction
 * id), and the directory listing is small. A 2xx of a write route starts a new baseline; one under
 * /api/2.0/quarkflow/ (project runs, workflows) first waits until the state stands still, since the workflow
 * engine and the launcher carry it on asynchronously. The outboxes are the one exception to "whole rows": their
 * relays delete rows asynchronously once Kafka has them, so only rows newer than the baseline count (a rejected
 * request must not add an event; the relay may remove old ones).
 *
 * <p>Reproduce a run with {@code -Dquarkflow.fuzz.seed=<printed seed>}; {@code -Dquarkflow.fuzz.requests} sets the
 * count. Findings are collected, printed with the request that caused them, and fail the test at the end.
 */
@EndToEnd
class FuzzTest {

    private static final long DEFAULT_SEED = 20_250_917L;
    private static final int DEFAULT_REQUESTS = 10_000;
    private static final int MAX_FINDINGS_SHOWN = 25;
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * The gateway's longest request line (quarkus.http.limits.max-initial-line-length): a longer one, like a raw
     * control character, space or non-ASCII byte in the target, is not HTTP, and Vert.x refuses it before any
     * handler with a bare 400 or 414 and the connection closed. Everything else malformed (bad percent escapes,
     * characters RFC 3986 forbids) must be MLflow's JSON.
     */
    private static final int GATEWAY_MAX_INITIAL_LINE = 16_384;
    /** A file name longer than this is refused by the filesystem under S3Proxy (ENAMETOOLONG). */
    private static final int FILESYSTEM_MAX_NAME = 255;

    private final QuarkflowSuite suite;
    private final GatewayHttp editor;
    private final RawHttp raw;
    private FuzzCases.Known known;

    FuzzTest(QuarkflowSuite suite) {
        this.suite = suite;
        this.editor = GatewayHttp.basic(suite.gateway(), GatewayIdentities.EDITOR, GatewayIdentities.EDITOR_PASSWORD);
        this.raw = new RawHttp(suite.gateway(),
                GatewayHttp.basicAuthorization(GatewayIdentities.EDITOR, GatewayIdentities.EDITOR_PASSWORD));
    }

    @Test
    void randomRequestsGetMlflowErrorsAndRejectedOnesChangeNothing() throws Exception {
        long seed = Long.getLong("quarkflow.fuzz.seed", DEFAULT_SEED);
        int requests = Integer.getInteger("quarkflow.fuzz.requests", DEFAULT_REQUESTS);
        System.out.printf("FuzzTest: seed %d (-Dquarkflow.fuzz.seed=%d), %d requests%n", seed, seed, requests);
        known = seed();
        FuzzCases cases = new FuzzCases(new Random(seed), known);

        Map<Integer, Integer> statuses = new TreeMap<>();
        Map<FuzzCases.Kind, Map<Integer, Integer>> byKind = new EnumMap<>(FuzzCases.Kind.class);
        Map<String, Integer> knownElsewhere = new TreeMap<>();
        List<String> findings = new ArrayList<>();
        long started = System.nanoTime();
        long sendingNanos = 0;
        try (Connection db = DriverManager.getConnection(suite.jdbcUrl(), "postgres", "postgres")) {
            StateDigest state = new StateDigest(db, suite.storage().directory());
            Map<String, String> before = state.baseline();
            for (int i = 0; i < requests; i++) {
                FuzzCases.Case fuzz = cases.next();
                long sending = System.nanoTime();
                RawHttp.Answer answer = raw.send(fuzz.request());
                sendingNanos += System.nanoTime() - sending;
                int status = answer.status();
                statuses.merge(status, 1, Integer::sum);
                byKind.computeIfAbsent(fuzz.kind(), kind -> new TreeMap<>()).merge(status, 1, Integer::sum);
                if ((i + 1) % 1000 == 0) {
                    System.out.printf("FuzzTest: %d requests, %.1f s%n", i + 1, (System.nanoTime() - started) / 1e9);
                }
                String known = knownElsewhere(fuzz, answer);
                if (known != null) {
                    knownElsewhere.merge(known, 1, Integer::sum);
                } else {
                    String problem = problem(answer);
                    if (problem != null) {
                        findings.add(finding(i, problem, fuzz, answer));
                    }
                }
                if (status >= 200 && status < 300 && fuzz.mayWrite()) {
                    boolean asynchronous = new String(fuzz.request().target(), StandardCharsets.ISO_8859_1)
                            .startsWith("/api/2.0/quarkflow/");
                    before = asynchronous ? state.settled(Duration.ofMillis(500), Duration.ofSeconds(10)) : state.baseline();
                    continue;
                }
                Map<String, String> after = state.digest();
                if (status >= 400 && status < 500 && !after.equals(before)) {
                    findings.add(finding(i, "state changed on a " + status + " in " + changed(before, after), fuzz, answer));
                    before = state.baseline();
                } else {
                    before = after;
                }
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf("FuzzTest: seed %d, %d requests in %.1f s (%.1f ms each, %.1f s of it waiting for answers),"
                + " answers by status %s%n", seed, requests, seconds, seconds * 1000 / requests, sendingNanos / 1e9, statuses);
        byKind.forEach((kind, counts) -> System.out.printf("FuzzTest:   %s %s%n", kind, counts));
        knownElsewhere.forEach((name, count) -> System.out.printf("FuzzTest: known, not counted as findings: %s x%d%n", name, count));
        findings.stream().limit(MAX_FINDINGS_SHOWN).forEach(finding -> System.out.println("FuzzTest: FINDING " + finding));
        assertTrue(findings.isEmpty(), findings.size() + " findings with seed " + seed + "; the first: "
                + findings.stream().limit(3).collect(Collectors.joining("\n")));
    }

    /**
     * The fuzz may delete or rename the Default experiment (experiment 0), as MLflow lets anyone who may write; the
     * other tests of the suite submit their project runs to it, so it is put back as it was.
     */
    @AfterEach
    void restoreTheDefaultExperiment() throws IOException {
        JsonNode experiment = JSON.readTree(editor.get("/api/2.0/mlflow/experiments/get?experiment_id=0").body())
                .path("experiment");
        if ("deleted".equals(experiment.path("lifecycle_stage").asText())) {
            assertEquals(200, editor.postJson("/api/2.0/mlflow/experiments/restore", "{\"experiment_id\": \"0\"}")
                    .statusCode());
        }
        if (!"Default".equals(experiment.path("name").asText())) {
            assertEquals(200, editor.postJson("/api/2.0/mlflow/experiments/update",
                    "{\"experiment_id\": \"0\", \"new_name\": \"Default\"}").statusCode());
        }
    }

    /** What is wrong with the answer by itself, or null: a 5xx, or an error that is not MLflow's JSON. */
    private static String problem(RawHttp.Answer answer) {
        if (answer.status() >= 500) {
            return "answered " + answer.status();
        }
        if (answer.status() < 400) {
            return null;
        }
        if (!answer.contentType().startsWith("application/json")) {
            return "error with Content-Type '" + answer.contentType() + "'";
        }
        try {
            JsonNode error = JSON.readTree(answer.body());
            if (!error.path("error_code").isTextual() || !error.path("message").isTextual()) {
                return "error without error_code and message";
            }
            return null;
        } catch (IOException e) {
            return "error body is not JSON";
        }
    }

    /**
     * The name of a known, accepted or reported cause when this answer is exactly that, else null. Each case is
     * narrow: its route, its status and what in the request or the storage makes it so.
     */
    private String knownElsewhere(FuzzCases.Case fuzz, RawHttp.Answer answer) {
        if (answer.status() == 500 && mlflowsInvalidState(fuzz, answer)) {
            return "MLflow's own 500: INVALID_STATE for renaming a deleted experiment";
        }
        if (answer.status() == 500 && s3ProxyFilesystemCannotHoldKey(fuzz)) {
            return "e2e storage: S3Proxy's filesystem store cannot hold the key (InternalError where S3 would not)";
        }
        String target = new String(fuzz.request().target(), StandardCharsets.ISO_8859_1);
        boolean notHttp = target.chars().anyMatch(c -> c <= 0x20 || c >= 0x7f)
                || fuzz.request().method().length() + target.length() + " HTTP/1.1".length() + 1
                > GATEWAY_MAX_INITIAL_LINE;
        if (notHttp && (answer.status() == 400 || answer.status() == 414)
                && !answer.contentType().startsWith("application/json")) {
            return "not HTTP (a raw control character, space or non-ASCII byte in the target, or a request line over"
                    + " the limit): Vert.x's bare 400 or 414 before any handler";
        }
        return null;
    }

    /**
     * MLflow answers renaming a deleted experiment with INVALID_STATE, which its status map makes a 500
     * (mlflow/store/tracking/sqlalchemy_store.py rename_experiment; MLFLOW-REFERENCE.md 1.3), and we match it.
     */
    private static boolean mlflowsInvalidState(FuzzCases.Case fuzz, RawHttp.Answer answer) {
        String target = new String(fuzz.request().target(), StandardCharsets.ISO_8859_1);
        return target.endsWith("/2.0/mlflow/experiments/update") && answer.text().contains("\"INVALID_STATE\"")
                && answer.text().contains("Cannot rename a non-active experiment.");
    }

    /**
     * The e2e suite's S3 is S3Proxy on a directory, which cannot hold what S3 (and MinIO) hold: an object below
     * another object's name ({@code seed.txt/x} once {@code seed.txt} exists: "Not a directory"), an object named as
     * the prefix of others ({@code ~} once {@code ~/x} exists: "Is a directory") or a path segment over 255 bytes
     * ("File name too long"). artifact-service rightly answers 500 to a storage InternalError; real S3
     * would have stored or listed the key. Only artifact-proxy, multipart and /get-artifact requests whose key shows
     * one of the two (or a multipart upload id over 255 bytes, which S3Proxy makes a file name) are excused.
     */
    private boolean s3ProxyFilesystemCannotHoldKey(FuzzCases.Case fuzz) {
        String[] target = new String(fuzz.request().target(), StandardCharsets.ISO_8859_1).split("\\?", 2);
        Matcher proxied = ARTIFACT_PROXY_PATH.matcher(target[0]);
        String path;
        try {
            if (proxied.find()) {
                path = URLDecoder.decode(proxied.group(1).replace("+", "%2B"), StandardCharsets.UTF_8);
                if (target[0].contains("/mpu/")) {
                    // A multipart upload's key ends with the body's file name; S3Proxy names files after its id.
                    JsonNode body = JSON.readTree(fuzz.request().body());
                    if (body.path("upload_id").asText().getBytes(StandardCharsets.UTF_8).length > FILESYSTEM_MAX_NAME) {
                        return true;
                    }
                    String file = body.path("path").asText();
                    path += "/" + file.substring(file.lastIndexOf('/') + 1);
                }
            } else if (target[0].equals("/get-artifact") && target.length == 2) {
                Map<String, String> query = new HashMap<>();
                for (String parameter : target[1].split("&")) {
                    String[] pair = parameter.split("=", 2);
                    query.putIfAbsent(pair[0], pair.length == 2 ? URLDecoder.decode(pair[1], StandardCharsets.UTF_8) : "");
                }
                path = known.experimentId() + "/" + query.get("run_id") + "/artifacts/" + query.get("path");
            } else {
                return false;
            }
        } catch (IllegalArgumentException | IOException e) {
            return false;
        }
        String[] segments = path.split("/");
        Path key = suite.storage().directory().resolve(ObjectStorage.BUCKET).resolve(ObjectStorage.PREFIX);
        for (String segment : segments) {
            if (segment.getBytes(StandardCharsets.UTF_8).length > FILESYSTEM_MAX_NAME) {
                return true;
            }
            try {
                key = key.resolve(segment);
            } catch (InvalidPathException e) {
                return false;
            }
            if (Files.isRegularFile(key)) {
                return true;
            }
        }
        // The converse: writing an object whose name is already a "directory" of others ("Is a directory").
        return Files.isDirectory(key) && !fuzz.request().method().equals("GET");
    }

    private static final Pattern ARTIFACT_PROXY_PATH =
            Pattern.compile("^/(?:api|ajax-api)/2\\.0/mlflow-artifacts/(?:artifacts|mpu/[a-z]+)/(.*)$");

    private static String finding(int index, String problem, FuzzCases.Case fuzz, RawHttp.Answer answer) {
        String body = answer.text();
        return "#" + index + " " + problem + "\n    request: " + fuzz.request().describe() + "\n    answer: "
                + answer.status() + " " + answer.contentType() + " " + (body.length() > 500 ? body.substring(0, 500) : body);
    }

    private static String changed(Map<String, String> before, Map<String, String> after) {
        return after.keySet().stream().filter(table -> !after.get(table).equals(before.get(table))).toList().toString();
    }

    /**
     * What the mutations aim at: an experiment, three runs with params, metrics and tags, an artifact of the first
     * run, a dataset input and a logged model.
     */
    private FuzzCases.Known seed() {
        String experimentId = GatewayHttp.json(ok(editor.postJson("/api/2.0/mlflow/experiments/create",
                "{\"name\": \"" + uniqueName("e2e-fuzz") + "\"}"))).path("experiment_id").asText();
        List<String> runIds = new ArrayList<>();
        String root = null;
        for (int i = 0; i < 3; i++) {
            JsonNode info = GatewayHttp.json(ok(editor.postJson("/api/2.0/mlflow/runs/create",
                    "{\"experiment_id\": \"" + experimentId + "\", \"run_name\": \"seed-" + i + "\"}"))).path("run").path("info");
            String runId = info.path("run_id").asText();
            runIds.add(runId);
            ok(editor.postJson("/api/2.0/mlflow/runs/log-batch", "{\"run_id\": \"" + runId + "\", "
                    + "\"metrics\": [{\"key\": \"m1\", \"value\": " + i + ", \"timestamp\": 1, \"step\": 0}], "
                    + "\"params\": [{\"key\": \"p1\", \"value\": \"v" + i + "\"}], "
                    + "\"tags\": [{\"key\": \"t1\", \"value\": \"v" + i + "\"}]}"));
            if (root == null) {
                root = info.path("artifact_uri").asText().substring("mlflow-artifacts:/".length());
            }
        }
        ok(editor.put("/api/2.0/mlflow-artifacts/artifacts/" + root + "/seed.txt",
                "seed".getBytes(StandardCharsets.UTF_8)));
        ok(editor.postJson("/api/2.0/mlflow/runs/log-inputs", "{\"run_id\": \"" + runIds.get(0) + "\", \"datasets\": "
                + "[{\"dataset\": {\"name\": \"d\", \"digest\": \"abc\", \"source_type\": \"local\", \"source\": \"{}\"}}]}"));
        String modelId = GatewayHttp.json(ok(editor.postJson("/api/2.0/mlflow/logged-models", "{\"experiment_id\": \""
                + experimentId + "\", \"name\": \"seed-model\", \"source_run_id\": \"" + runIds.get(0) + "\"}")))
                .path("model").path("info").path("model_id").asText();
        return new FuzzCases.Known(experimentId, List.copyOf(runIds), modelId, root);
    }

    private static HttpResponse<String> ok(HttpResponse<String> response) {
        assertEquals(200, response.statusCode(), response::body);
        return response;
    }

    /** The digest of the whole state; see the class comment for what it covers and why the outboxes differ. */
    private static final class StateDigest {

        private final Connection db;
        private final Path blobs;
        private final List<String> tables = new ArrayList<>();
        /** Per outbox table, the newest id when the baseline was taken. */
        private final Map<String, Long> outboxWatermarks = new HashMap<>();
        private String lastSnapshot;
        private Map<String, String> lastTables;

        StateDigest(Connection db, Path blobs) throws SQLException {
            this.db = db;
            this.blobs = blobs;
            try (Statement statement = db.createStatement();
                 ResultSet rows = statement.executeQuery("select table_schema || '.' || table_name from "
                         + "information_schema.tables where table_schema in ('public', 'projects') "
                         + "and table_type = 'BASE TABLE' order by 1")) {
                while (rows.next()) {
                    tables.add(rows.getString(1));
                }
            }
            assertTrue(tables.contains("public.runs") && tables.contains("projects.submissions"), tables::toString);
        }

        /** A digest after which the outboxes' rows so far no longer count. */
        Map<String, String> baseline() throws SQLException {
            for (String table : tables) {
                if (table.endsWith(".outbox")) {
                    try (Statement statement = db.createStatement();
                         ResultSet max = statement.executeQuery("select coalesce(max(id), 0) from " + table)) {
                        max.next();
                        outboxWatermarks.merge(table, max.getLong(1), Math::max);
                    }
                }
            }
            lastSnapshot = null;
            return digest();
        }

        /**
         * The digest, from the tables only when PostgreSQL's snapshot moved since the last one: a change needs a
         * transaction id, and reads (which most fuzzed requests are) never take one, so an unmoved snapshot (same
         * next id, same transactions in progress) proves the tables unchanged.
         */
        Map<String, String> digest() throws SQLException {
            String snapshot;
            try (Statement statement = db.createStatement();
                 ResultSet row = statement.executeQuery("select txid_current_snapshot()::text")) {
                row.next();
                snapshot = row.getString(1);
            }
            if (!snapshot.equals(lastSnapshot)) {
                lastTables = tables();
                lastSnapshot = snapshot;
            }
            Map<String, String> digest = new TreeMap<>(lastTables);
            digest.put("s3", artifacts());
            return digest;
        }

        /**
         * After a change that other processes carry on asynchronously (a workflow's steps, a project run's status),
         * waits until the state has stood still for a while, so that their work is not blamed on a later request.
         */
        Map<String, String> settled(Duration quiet, Duration atMost) throws SQLException, InterruptedException {
            long deadline = System.nanoTime() + atMost.toNanos();
            Map<String, String> last = baseline();
            long stillSince = System.nanoTime();
            while (System.nanoTime() - stillSince < quiet.toNanos() && System.nanoTime() < deadline) {
                Thread.sleep(50);
                Map<String, String> now = baseline();
                if (!now.equals(last)) {
                    last = now;
                    stillSince = System.nanoTime();
                }
            }
            return last;
        }

        private Map<String, String> tables() throws SQLException {
            String sql = tables.stream()
                    .map(table -> "select '" + table + "', md5(coalesce(string_agg(t::text, ',' order by t::text), ''))"
                            + " from " + table + " t"
                            + (outboxWatermarks.containsKey(table) ? " where id > " + outboxWatermarks.get(table) : ""))
                    .collect(Collectors.joining(" union all "));
            Map<String, String> digest = new TreeMap<>();
            try (Statement statement = db.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
                while (rows.next()) {
                    digest.put(rows.getString(1), rows.getString(2));
                }
            }
            return digest;
        }

        private String artifacts() {
            try (Stream<Path> tree = Files.walk(blobs)) {
                return tree.filter(Files::isRegularFile)
                        .map(file -> {
                            try {
                                return blobs.relativize(file) + ":" + Files.size(file) + ":"
                                        + Files.getLastModifiedTime(file).toMillis();
                            } catch (IOException e) {
                                throw new UncheckedIOException(e);
                            }
                        })
                        .sorted()
                        .collect(Collectors.joining(",", "", ""))
                        .hashCode() + "";
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
