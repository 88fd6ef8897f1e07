package io.quarkflow.e2e;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;

import java.io.ByteArrayOutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;

/**
 * The fuzzer's requests, all drawn from one {@link Random} so that a seed replays the same sequence: valid bodies of
 * every write route we serve, mutated (wrong types, missing and extra fields, huge numbers, NaN, deep nesting,
 * truncation, invalid UTF-8, control characters, long and unicode strings); query strings of the read routes;
 * MLflow search filters and order_by clauses; artifact paths. Real ids of the seeded state are mixed in so that the
 * mutations reach past "not found".
 */
final class FuzzCases {

    /** What the fuzzer aimed at; the report counts answers by kind. */
    enum Kind { BODY, QUERY, FILTER, PATH }

    /** One request and whether its route may change state when it succeeds (reads and searches may not). */
    record Case(Kind kind, RawHttp.Request request, boolean mayWrite) {
    }

    /** The seeded state the mutations aim at. */
    record Known(String experimentId, List<String> runIds, String modelId, String runArtifactRoot) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** Replaced in the serialised body by bytes no JSON writer produces. */
    private static final String INVALID_UTF8 = "QFINVALIDUTF8";
    private static final String RAW_CONTROL = "QFRAWCONTROL";
    /** A local directory that does not exist: a mutated project submission must never clone from the network. */
    private static final String NO_PROJECT = "/nonexistent/quarkflow-fuzz-project";

    private static final List<Integer> LENGTHS = List.of(250, 251, 255, 256, 500, 501, 2048, 2049, 5000, 5001, 6000,
            6001, 8000, 8001, 65_536, 100_001);
    private static final List<String> STRINGS = List.of("", " ", "a", "\u0000", "x\u0000y", "\t\n\r", "\u001f",
            "é", "日本語", "🙂", "\u202e", "\ud800", "\uffff", "\ufeff", "'", "\"", "\\", "%", "_", "%00",
            "%2e%2e%2f", "../../etc/passwd", "..", ".", "a/b", "a//b", "C:\\x", "$(id)", "`id`",
            "'; drop table runs; --", "' OR '1'='1", "<script>alert(1)</script>", "null", "NaN", "Infinity", "-1",
            "0", "1e309", "9223372036854775808", "true", "RUNNING", "FINISHED", "LOGGED_MODEL_READY", "ACTIVE_ONLY",
            "mlflow.runName", "mlflow.user", "m1", "p1", "t1");
    private static final List<String> NUMBERS = List.of("0", "-1", "1", "1.5", "-0.0", "2147483647", "2147483648",
            "-2147483649", "9223372036854775807", "9223372036854775808", "-9223372036854775809", "1e308", "1e309",
            "1e-400", "123456789012345678901234567890", "NaN", "Infinity", "-Infinity", "0x10", "1_000", "+1", ".5");
    private static final List<String> CONTENT_TYPES = List.of("", "text/plain", "application/json; charset=utf-8",
            "application/x-www-form-urlencoded", "application/json; charset=latin1", "application/json, text/plain",
            "multipart/form-data; boundary=x", "application/jsonx", "APPLICATION/JSON", "\u00e9/\u00e9");
    private static final List<String> RAW_ESCAPES = List.of("%00", "%FF", "%C3%28", "%ED%A0%80", "%E2%80%AE", "+",
            "%2B", "a%20b", "%0A", "%0D%0A", "%2F", "%5C", "%25", "&&", "==", "=x", "?", "#", ";", "%u0041");
    /** Bad percent-escapes: answered by Netty before Quarkus sees them (issue 17, another helper's fix). */
    static final List<String> BAD_ESCAPES = List.of("%zz", "%", "%%", "%0", "%g1", "a%");

    private final Random random;
    private final Known known;
    private final List<Supplier<Case>> bodyRoutes = new ArrayList<>();
    private int names;

    FuzzCases(Random random, Known known) {
        this.random = random;
        this.known = known;
        registerBodyRoutes();
    }

    Case next() {
        int draw = random.nextInt(100);
        if (draw < 45) {
            return pick(bodyRoutes).get();
        }
        if (draw < 65) {
            return query();
        }
        if (draw < 85) {
            return filter();
        }
        return path();
    }

    // ---- bodies -------------------------------------------------------------------------------------------------

    private void registerBodyRoutes() {
        String exp = "\"$EXP\"";
        mlflowPost("experiments/create", "{\"name\":\"$NAME\",\"artifact_location\":\"\",\"tags\":[{\"key\":\"k\",\"value\":\"v\"}]}");
        mlflowPost("experiments/update", "{\"experiment_id\":" + exp + ",\"new_name\":\"$NAME\"}");
        mlflowPost("experiments/delete", "{\"experiment_id\":" + exp + "}");
        mlflowPost("experiments/restore", "{\"experiment_id\":" + exp + "}");
        mlflowPost("experiments/set-experiment-tag", "{\"experiment_id\":" + exp + ",\"key\":\"k1\",\"value\":\"v\"}");
        mlflowPost("experiments/delete-experiment-tag", "{\"experiment_id\":" + exp + ",\"key\":\"k1\"}");
        mlflowPost("experiments/search-datasets", "{\"experiment_ids\":[" + exp + "]}");
        mlflowPost("runs/create", "{\"experiment_id\":" + exp + ",\"start_time\":1700000000000,\"run_name\":\"$NAME\","
                + "\"tags\":[{\"key\":\"t\",\"value\":\"v\"}],\"user_id\":\"fuzz\"}");
        mlflowPost("runs/update", "{\"run_id\":\"$RUN\",\"status\":\"RUNNING\",\"end_time\":1700000000001,\"run_name\":\"$NAME\"}");
        mlflowPost("runs/delete", "{\"run_id\":\"$RUN\"}");
        mlflowPost("runs/restore", "{\"run_id\":\"$RUN\"}");
        mlflowPost("runs/log-metric", "{\"run_id\":\"$RUN\",\"key\":\"m1\",\"value\":1.5,\"timestamp\":1700000000000,\"step\":1}");
        mlflowPost("runs/log-parameter", "{\"run_id\":\"$RUN\",\"key\":\"$NAME\",\"value\":\"v\"}");
        mlflowPost("runs/set-tag", "{\"run_id\":\"$RUN\",\"key\":\"t1\",\"value\":\"v\"}");
        mlflowPost("runs/delete-tag", "{\"run_id\":\"$RUN\",\"key\":\"t1\"}");
        mlflowPost("runs/log-batch", "{\"run_id\":\"$RUN\",\"metrics\":[{\"key\":\"m1\",\"value\":2,\"timestamp\":1,\"step\":2}],"
                + "\"params\":[{\"key\":\"$NAME\",\"value\":\"v\"}],\"tags\":[{\"key\":\"t2\",\"value\":\"v\"}]}");
        mlflowPost("runs/log-inputs", "{\"run_id\":\"$RUN\",\"datasets\":[{\"tags\":[{\"key\":\"mlflow.data.context\","
                + "\"value\":\"train\"}],\"dataset\":{\"name\":\"d\",\"digest\":\"abc\",\"source_type\":\"local\","
                + "\"source\":\"{}\",\"schema\":\"{}\",\"profile\":\"{}\"}}],\"models\":[{\"model_id\":\"$MODEL\"}]}");
        mlflowPost("runs/outputs", "{\"run_id\":\"$RUN\",\"models\":[{\"model_id\":\"$MODEL\",\"step\":0}]}");
        mlflowPost("runs/log-model", "{\"run_id\":\"$RUN\",\"model_json\":\"{\\\"artifact_path\\\":\\\"m\\\","
                + "\\\"flavors\\\":{},\\\"utc_time_created\\\":\\\"2024-01-01 00:00:00\\\",\\\"run_id\\\":\\\"$RUN\\\"}\"}");
        mlflowPost("logged-models", "{\"experiment_id\":" + exp + ",\"name\":\"$NAME\",\"model_type\":\"t\","
                + "\"source_run_id\":\"$RUN\",\"params\":[{\"key\":\"a\",\"value\":\"1\"}],\"tags\":[{\"key\":\"b\",\"value\":\"2\"}]}");
        body("PATCH", "/api/2.0/mlflow/logged-models/$MODEL", "{\"model_id\":\"$MODEL\",\"status\":\"LOGGED_MODEL_READY\"}", true);
        body("DELETE", "/api/2.0/mlflow/logged-models/$MODEL", "{\"model_id\":\"$MODEL\"}", true);
        mlflowPost("logged-models/$MODEL/params", "{\"params\":[{\"key\":\"$NAME\",\"value\":\"x\"}]}");
        body("PATCH", "/api/2.0/mlflow/logged-models/$MODEL/tags", "{\"tags\":[{\"key\":\"b2\",\"value\":\"y\"}]}", true);
        body("DELETE", "/api/2.0/mlflow/logged-models/$MODEL/tags/b2", "{}", true);
        String artifact = "/api/2.0/mlflow-artifacts/mpu/%s/$ROOT/fuzz.bin";
        body("POST", artifact.formatted("create"), "{\"path\":\"fuzz.bin\",\"num_parts\":2}", true);
        body("POST", artifact.formatted("complete"), "{\"path\":\"fuzz.bin\",\"upload_id\":\"u\","
                + "\"parts\":[{\"part_number\":1,\"etag\":\"e\",\"url\":\"http://127.0.0.1:9/x\"}]}", true);
        body("POST", artifact.formatted("abort"), "{\"path\":\"fuzz.bin\",\"upload_id\":\"u\"}", true);
        body("POST", "/api/2.0/quarkflow/artifacts/presign", "{\"run_id\":\"$RUN\",\"path\":\"seed.txt\","
                + "\"method\":\"GET\",\"expires_in_seconds\":60}", true);
        body("POST", "/api/2.0/quarkflow/projects/runs/submit", "{\"uri\":\"" + NO_PROJECT + "\",\"entry_point\":\"main\","
                + "\"parameters\":{\"a\":\"1\"},\"experiment_id\":" + exp + ",\"run_name\":\"$NAME\",\"backend\":\"local\","
                + "\"backend_config\":{}}", true);
        body("POST", "/api/2.0/quarkflow/projects/runs/cancel", "{\"run_id\":\"$RUN\"}", true);
        body("POST", "/api/2.0/quarkflow/workflows/submit", "{\"workflow\":{\"name\":\"w\",\"uri\":\"" + NO_PROJECT
                + "\",\"steps\":[{\"name\":\"a\",\"entry_point\":\"main\",\"parameters\":{\"x\":\"1\"}},"
                + "{\"name\":\"b\",\"depends_on\":[\"a\"]}]},\"experiment_id\":" + exp + ",\"parameters\":{}}", true);
        body("POST", "/api/2.0/quarkflow/workflows/cancel", "{\"workflow_id\":\"$RUN\"}", true);
    }

    private void mlflowPost(String endpoint, String template) {
        body("POST", "/api/2.0/mlflow/" + endpoint, template, true);
    }

    private void body(String method, String path, String template, boolean mayWrite) {
        bodyRoutes.add(() -> {
            String target = ids(path);
            if (target.startsWith("/api/2.0/mlflow/") && random.nextBoolean()) {
                target = "/ajax-api/" + target.substring("/api/".length());
            }
            return new Case(Kind.BODY, new RawHttp.Request(method, bytes(target), contentType(),
                    mutatedBody(ids(template))), mayWrite);
        });
    }

    private String ids(String template) {
        return template.replace("$EXP", random.nextInt(10) == 0 ? Integer.toString(random.nextInt(1000)) : known.experimentId())
                .replace("$RUN", random.nextInt(10) == 0 ? hex(32) : pick(known.runIds()))
                .replace("$MODEL", random.nextInt(10) == 0 ? "m-" + hex(32) : known.modelId())
                .replace("$ROOT", known.runArtifactRoot())
                .replace("$NAME", "fuzz-" + names++);
    }

    private Map<String, String> contentType() {
        Map<String, String> headers = new LinkedHashMap<>();
        String type = random.nextInt(10) == 0 ? pick(CONTENT_TYPES) : "application/json";
        if (!type.isEmpty()) {
            headers.put("Content-Type", type);
        }
        return headers;
    }

    private byte[] mutatedBody(String template) {
        switch (random.nextInt(20)) {
            case 0:
                return new byte[0];
            case 1:
                return bytes(pick(List.of(" ", "null", "[]", "{}", "\"{}\"", "1", "[" + template + "]",
                        JSON.valueToTree(template).toString(), template + template, "{\"a\":1,}")));
            case 2:
                return truncated(bytes(template));
            default:
                break;
        }
        JsonNode tree = parse(template);
        for (int i = 1 + random.nextInt(3); i > 0; i--) {
            mutate(tree);
        }
        return markersToBytes(tree.toString());
    }

    private void mutate(JsonNode root) {
        List<Slot> slots = new ArrayList<>();
        collect(root, slots);
        if (slots.isEmpty()) {
            return;
        }
        Slot slot = pick(slots);
        switch (random.nextInt(9)) {
            case 0 -> slot.remove();
            case 1 -> addExtra(slot.container());
            case 2 -> slot.set(NODES.arrayNode().add(slot.get()));
            case 3 -> slot.set(deep(50 + random.nextInt(3000)));
            case 4 -> slot.set(NODES.textNode(slot.get().asText() + pick(List.of(INVALID_UTF8, RAW_CONTROL))));
            case 5 -> slot.set(NODES.textNode(longString()));
            case 6 -> repeat(slot);
            default -> slot.set(value());
        }
    }

    private void addExtra(JsonNode container) {
        if (container instanceof ObjectNode object) {
            object.set(pick(List.of("extra", "run_uuid", "__proto__", "key", "")), value());
        } else {
            ((ArrayNode) container).add(value());
        }
    }

    /** An array element repeated up to past MLflow's batch limits (100 params or tags, 1000 metrics). */
    private void repeat(Slot slot) {
        if (slot.container() instanceof ArrayNode array && !array.isEmpty()) {
            JsonNode element = array.get(0);
            // Long elements are doubled only: a thousand 64 KB tags is 64 MB, past the gateway's body limit.
            int count = element.toString().length() > 1_000 ? 2 : pick(List.of(2, 100, 101, 1000, 1001));
            for (int i = array.size(); i < count; i++) {
                array.add(element.deepCopy());
            }
        } else {
            slot.set(value());
        }
    }

    private JsonNode value() {
        return switch (random.nextInt(8)) {
            case 0 -> NODES.textNode(pick(STRINGS));
            case 1 -> NODES.rawValueNode(new RawValue(pick(NUMBERS)));
            case 2 -> NODES.booleanNode(random.nextBoolean());
            case 3 -> NODES.nullNode();
            case 4 -> NODES.arrayNode().add(pick(STRINGS));
            case 5 -> NODES.objectNode().put("key", pick(STRINGS));
            case 6 -> NODES.textNode(pick(List.of(known.experimentId(), pick(known.runIds()), known.modelId(), hex(32))));
            default -> NODES.textNode(longString());
        };
    }

    /** Written as raw text: Jackson's own writer stops at 1000 levels, which is what the services must refuse. */
    private JsonNode deep(int depth) {
        StringBuilder open = new StringBuilder();
        StringBuilder close = new StringBuilder();
        for (int i = 0; i < depth; i++) {
            boolean array = random.nextBoolean();
            open.append(array ? "[" : "{\"a\":");
            close.append(array ? ']' : '}');
        }
        return NODES.rawValueNode(new RawValue(open + "\"bottom\"" + close.reverse()));
    }

    private String longString() {
        String unit = pick(List.of("a", "a", "é", "🙂", "%", "/"));
        return unit.repeat(pick(LENGTHS) / unit.length());
    }

    private byte[] truncated(byte[] body) {
        byte[] cut = new byte[random.nextInt(Math.max(1, body.length))];
        System.arraycopy(body, 0, cut, 0, cut.length);
        return cut;
    }

    private byte[] markersToBytes(String json) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] invalid = pick(List.of(new byte[]{(byte) 0xC3, 0x28}, new byte[]{(byte) 0xFF},
                new byte[]{(byte) 0xED, (byte) 0xA0, (byte) 0x80}, new byte[]{(byte) 0xE2, (byte) 0x82}));
        byte[] control = {pick(List.of(0, 1, 8, 0x1b, 0x1f, 0x7f)).byteValue()};
        String[] parts = json.split(INVALID_UTF8 + "|" + RAW_CONTROL, -1);
        int at = 0;
        for (int i = 0; i < parts.length; i++) {
            out.writeBytes(bytes(parts[i]));
            at += parts[i].length();
            if (i < parts.length - 1) {
                boolean utf8 = json.startsWith(INVALID_UTF8, at);
                out.writeBytes(utf8 ? invalid : control);
                at += (utf8 ? INVALID_UTF8 : RAW_CONTROL).length();
            }
        }
        return out.toByteArray();
    }

    /** A place in the tree: a field of an object or an element of an array. */
    private record Slot(JsonNode container, String field, int index) {

        JsonNode get() {
            return field != null ? container.get(field) : container.get(index);
        }

        void set(JsonNode value) {
            if (field != null) {
                ((ObjectNode) container).set(field, value);
            } else {
                ((ArrayNode) container).set(index, value);
            }
        }

        void remove() {
            if (field != null) {
                ((ObjectNode) container).remove(field);
            } else {
                ((ArrayNode) container).remove(index);
            }
        }
    }

    private static void collect(JsonNode node, List<Slot> slots) {
        if (node instanceof ObjectNode object) {
            List<String> fields = new ArrayList<>();
            object.fieldNames().forEachRemaining(fields::add);
            for (String field : fields) {
                slots.add(new Slot(object, field, -1));
                collect(object.get(field), slots);
            }
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                slots.add(new Slot(array, null, i));
                collect(array.get(i), slots);
            }
        }
    }

    // ---- query strings ------------------------------------------------------------------------------------------

    private Case query() {
        String run = "run_id";
        Map<String, List<String>> routes = Map.ofEntries(
                Map.entry("/api/2.0/mlflow/experiments/get", List.of("experiment_id")),
                Map.entry("/api/2.0/mlflow/experiments/get-by-name", List.of("experiment_name")),
                Map.entry("/api/2.0/mlflow/experiments/search", List.of("max_results", "page_token", "view_type", "filter", "order_by")),
                Map.entry("/api/2.0/mlflow/runs/get", List.of(run, "run_uuid")),
                Map.entry("/api/2.0/mlflow/metrics/get-history", List.of(run, "metric_key", "max_results", "page_token")),
                Map.entry("/ajax-api/2.0/mlflow/metrics/get-history-bulk", List.of(run, "metric_key", "max_results")),
                Map.entry("/ajax-api/2.0/mlflow/metrics/get-history-bulk-interval",
                        List.of("run_ids", "metric_key", "start_step", "end_step", "max_results")),
                Map.entry("/api/2.0/mlflow/artifacts/list", List.of(run, "path", "page_token")),
                Map.entry("/api/2.0/mlflow/logged-models/$MODEL", List.of()),
                Map.entry("/api/2.0/mlflow/logged-models/$MODEL/artifacts/directories", List.of("artifact_directory_path")),
                Map.entry("/ajax-api/2.0/mlflow/logged-models/$MODEL/artifacts/files", List.of("artifact_file_path")),
                Map.entry("/get-artifact", List.of(run, "path")),
                Map.entry("/api/2.0/mlflow-artifacts/artifacts", List.of("path")),
                Map.entry("/api/2.0/quarkflow/projects/runs/get", List.of(run)),
                Map.entry("/api/2.0/quarkflow/projects/runs/list", List.of("experiment_id", "status", "max_results", "page_token")),
                Map.entry("/api/2.0/quarkflow/workflows/get", List.of("workflow_id")),
                Map.entry("/api/2.0/quarkflow/workflows/list", List.of("experiment_id", "max_results", "page_token")),
                Map.entry("/version", List.of()));
        List<String> paths = new ArrayList<>(routes.keySet());
        paths.sort(null);
        String path = pick(paths);
        List<String> names = new ArrayList<>(routes.get(path));
        names.addAll(List.of("unknown", "", "max_results"));
        StringBuilder query = new StringBuilder();
        for (int i = random.nextInt(6); i >= 0; i--) {
            String name = pick(names);
            query.append(query.isEmpty() ? "" : pick(List.of("&", "&", "&&", ";"))).append(name);
            if (random.nextInt(10) > 0) {
                query.append('=').append(queryValue(name));
            }
        }
        String target = ids(path) + (random.nextInt(20) == 0 ? "" : "?" + query);
        return new Case(Kind.QUERY, new RawHttp.Request("GET", bytes(target), Map.of(), new byte[0]), false);
    }

    private String queryValue(String name) {
        int draw = random.nextInt(10);
        if (draw < 4) {
            return encode(switch (name) {
                case "run_id", "run_uuid", "run_ids" -> pick(known.runIds());
                case "experiment_id" -> known.experimentId();
                case "max_results", "start_step", "end_step" -> pick(NUMBERS);
                case "metric_key" -> "m1";
                case "path", "artifact_directory_path", "artifact_file_path" -> artifactPath();
                case "filter" -> filterString();
                case "order_by" -> orderBy();
                case "view_type" -> pick(List.of("ACTIVE_ONLY", "DELETED_ONLY", "ALL", "1", "3", "4", "all"));
                default -> pick(STRINGS);
            });
        }
        if (draw < 6) {
            return pick(RAW_ESCAPES) + (random.nextBoolean() ? encode(pick(STRINGS)) : "");
        }
        if (draw < 7 && random.nextInt(4) == 0) {
            return pick(BAD_ESCAPES);
        }
        return encode(random.nextBoolean() ? pick(STRINGS) : longString());
    }

    // ---- search filters -----------------------------------------------------------------------------------------

    private Case filter() {
        String exp = known.experimentId();
        String filter = filterString();
        String json = switch (random.nextInt(4)) {
            case 0 -> "{\"experiment_ids\":[\"" + exp + "\"],\"filter\":" + quote(filter) + ",\"max_results\":"
                    + pick(List.of("10", "1000", "50000", "50001", "0", "-1")) + ",\"order_by\":[" + quote(orderBy()) + "],"
                    + "\"run_view_type\":\"ALL\"}";
            case 1 -> "{\"filter\":" + quote(filter) + ",\"order_by\":[" + quote(orderBy()) + "],\"view_type\":\"ALL\","
                    + "\"max_results\":" + pick(List.of("1", "1000", "50001")) + "}";
            case 2 -> "{\"experiment_ids\":[\"" + exp + "\"],\"filter\":" + quote(filter) + ",\"order_by\":[{\"field_name\":"
                    + quote(pick(List.of("creation_time", "name", "metrics.m1", "params.a", "last_updated_timestamp",
                    "model_id", filterString()))) + ",\"ascending\":" + pick(List.of("true", "false", "\"yes\"", "null"))
                    + ",\"dataset_name\":" + quote(pick(STRINGS)) + "}],\"max_results\":" + pick(NUMBERS) + "}";
            default -> null;
        };
        String[] endpoints = {"runs/search", "experiments/search", "logged-models/search"};
        if (json == null) {
            String target = "/api/2.0/mlflow/experiments/search?filter=" + encode(filter) + "&order_by=" + encode(orderBy());
            return new Case(Kind.FILTER, new RawHttp.Request("GET", bytes(target), Map.of(), new byte[0]), false);
        }
        String target = "/api/2.0/mlflow/" + endpoints[json.startsWith("{\"filter") ? 1 : json.contains("field_name") ? 2 : 0];
        return new Case(Kind.FILTER, new RawHttp.Request("POST", bytes(target), Map.of("Content-Type", "application/json"),
                bytes(json)), false);
    }

    /** A filter from MLflow's grammar (comparisons joined by AND), sometimes mutated character by character. */
    String filterString() {
        List<String> clauses = new ArrayList<>();
        for (int i = random.nextInt(random.nextInt(10) == 0 ? 60 : 4); i >= 0; i--) {
            clauses.add(identifier() + " " + pick(List.of("=", "!=", ">", ">=", "<", "<=", "LIKE", "ILIKE", "IN",
                    "NOT IN", "like", "IS", "IS NOT", "==", "<>", "~")) + " " + literal());
        }
        String filter = String.join(pick(List.of(" AND ", " AND ", " and ", " OR ", " AND (", ";", " ")), clauses);
        for (int i = random.nextInt(3) == 0 ? 1 + random.nextInt(3) : 0; i > 0 && !filter.isEmpty(); i--) {
            int at = random.nextInt(filter.length());
            filter = random.nextBoolean() ? filter.substring(0, at) + filter.substring(at + 1)
                    : filter.substring(0, at) + pick(List.of("'", "\"", "`", "(", ")", ",", ".", "\u0000", "\\", "%", " "))
                    + filter.substring(at);
        }
        return filter;
    }

    private String identifier() {
        String type = pick(List.of("metrics", "metric", "params", "param", "parameters", "tags", "tag", "attributes",
                "attribute", "attr", "run", "dataset", "datasets", "", "unknown"));
        String key = pick(List.of("m1", "p1", "t1", "status", "run_name", "start_time", "end_time", "run_id", "user_id",
                "artifact_uri", "name", "digest", "context", "creation_time", "last_update_time", "created",
                "\"a b\"", "`a b`", "\"\"", "``", "\"unterminated", "model_id", "model_type", "source_run_id"));
        if (type.isEmpty()) {
            return pick(List.of(key, "`Run name`", "\"run name\"", "1", "'x'"));
        }
        return type + "." + key;
    }

    private String literal() {
        return switch (random.nextInt(8)) {
            case 0 -> pick(NUMBERS);
            case 1 -> "'" + pick(STRINGS).replace("'", "''") + "'";
            case 2 -> "\"" + pick(STRINGS).replace("\"", "") + "\"";
            case 3 -> "('" + pick(known.runIds()) + "', '" + hex(32) + "')";
            case 4 -> pick(List.of("()", "(1, 2)", "('a',)", "NULL", "'%'", "'_%_'", "'unterminated", "TRUE", "x"));
            case 5 -> "'" + longString() + "'";
            case 6 -> "'" + pick(known.runIds()) + "'";
            default -> pick(List.of("'RUNNING'", "'FINISHED'", "'v'", "1700000000000", "-1e400", "2"));
        };
    }

    private String orderBy() {
        if (random.nextInt(8) == 0) {
            return pick(STRINGS);
        }
        return identifier() + pick(List.of("", " ASC", " DESC", " asc", " DESCENDING", " ASC DESC", ",", " ASC, x"));
    }

    // ---- artifact paths -----------------------------------------------------------------------------------------

    private Case path() {
        String path = artifactPath();
        String encoded = random.nextInt(3) == 0 ? path : encodePath(path);
        String run = random.nextInt(8) == 0 ? hex(32) : pick(known.runIds());
        return switch (random.nextInt(9)) {
            case 0 -> raw("GET", "/api/2.0/mlflow-artifacts/artifacts/" + encoded, false);
            case 1 -> raw("GET", "/ajax-api/2.0/mlflow-artifacts/artifacts/" + encoded, false);
            case 2 -> new Case(Kind.PATH, new RawHttp.Request("PUT", bytes("/api/2.0/mlflow-artifacts/artifacts/" + encoded),
                    Map.of("Content-Type", "application/octet-stream"), bytes("fuzz")), true);
            case 3 -> raw("DELETE", "/api/2.0/mlflow-artifacts/artifacts/" + encoded, true);
            case 4 -> raw("GET", "/get-artifact?run_id=" + run + "&path=" + encode(path), false);
            case 5 -> raw("GET", "/api/2.0/mlflow/artifacts/list?run_id=" + run + "&path=" + encode(path), false);
            case 6 -> new Case(Kind.PATH, new RawHttp.Request("POST",
                    bytes("/ajax-api/2.0/mlflow/upload-artifact?run_uuid=" + run + "&path=" + encode(path)),
                    Map.of("Content-Type", "application/octet-stream"), bytes("fuzz")), true);
            case 7 -> raw("GET", "/ajax-api/2.0/mlflow/logged-models/" + known.modelId() + "/artifacts/files?artifact_file_path="
                    + encode(path), false);
            default -> raw("GET", "/api/2.0/mlflow-artifacts/artifacts?path=" + encode(path), false);
        };
    }

    private Case raw(String method, String target, boolean mayWrite) {
        return new Case(Kind.PATH, new RawHttp.Request(method, bytes(target), Map.of(), new byte[0]), mayWrite);
    }

    /** Segments of the seeded run's artifact root, mixed with traversal, dot segments and long names. */
    private String artifactPath() {
        List<String> segments = new ArrayList<>();
        if (random.nextInt(3) > 0) {
            segments.addAll(List.of(known.runArtifactRoot().split("/")));
        }
        for (int i = random.nextInt(4); i >= 0; i--) {
            segments.add(pick(List.of("seed.txt", "a", "..", ".", "", "...", "%2e%2e", "%2F", "..%2F..", "%252e%252e",
                    "~", "%00", "x%5C..%5Cy", "C:", "etc", "passwd", "é", "🙂", "a b", "a\u0000b", "\u202e",
                    "x".repeat(pick(List.of(255, 256, 1025, 4097))), "models", "fuzz.bin")));
        }
        if (random.nextInt(6) == 0) {
            segments.add(random.nextInt(segments.size() + 1), pick(List.of("/etc/passwd", "..\\..\\x", "s3://other/x",
                    "file:///etc", "//host/share")));
        }
        String path = String.join("/", segments);
        return random.nextInt(10) == 0 ? "/" + path : path;
    }

    /** Percent-encodes what a URI path may not hold; keeps slashes and encodings already written. */
    private static String encodePath(String path) {
        StringBuilder out = new StringBuilder();
        for (byte b : bytes(path)) {
            int c = b & 0xff;
            if (c > 0x20 && c < 0x7f && c != '?' && c != '#' && c != ' ' && c != '"' && c != '<' && c != '>' && c != '\\') {
                out.append((char) c);
            } else {
                out.append('%').append(String.format("%02X", c));
            }
        }
        return out.toString();
    }

    // ---- small helpers ------------------------------------------------------------------------------------------

    private <T> T pick(List<T> values) {
        return values.get(random.nextInt(values.size()));
    }

    private String hex(int digits) {
        StringBuilder hex = new StringBuilder();
        for (int i = 0; i < digits; i++) {
            hex.append(Character.forDigit(random.nextInt(16), 16));
        }
        return hex.toString();
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("A template is not JSON: " + json, e);
        }
    }

    private static String quote(String text) {
        return NODES.textNode(text).toString();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
