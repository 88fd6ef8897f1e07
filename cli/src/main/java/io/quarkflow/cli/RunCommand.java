package io.quarkflow.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkflow.cli.Arguments.Option;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code quarkflow run <uri>} with {@code mlflow run}'s options: submits the project (a directory is uploaded
 * first), then follows its output until it ends, with exit code 0 when it FINISHED and 1 otherwise. Ctrl-C cancels
 * it on the server. {@code --detach} prints the run id and returns.
 */
final class RunCommand {

    private static final Option[] OPTIONS = {
        Option.value("entry-point", "e"),
        Option.value("version", "v"),
        Option.repeated("param-list", "P"),
        Option.value("experiment-name", null),
        Option.value("experiment-id", null),
        Option.value("run-name", null),
        Option.value("backend", "b"),
        Option.value("backend-config", "c"),
        Option.flag("detach", null),
    };

    /** The command line, read; {@code backendConfig} as the server takes it (see {@link BackendConfig}). */
    record Submission(String uri, String version, String entryPoint, Map<String, String> parameters,
                      String experimentId, String experimentName, String runName, String backend,
                      Map<String, Object> backendConfig, boolean detach) {

        /** The submit request for the project at {@code serverUri}. */
        Map<String, Object> body(String serverUri) {
            Map<String, Object> config = new LinkedHashMap<>(backendConfig);
            Object configured = config.remove("backend");
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("uri", serverUri);
            putIfPresent(body, "version", version);
            putIfPresent(body, "entry_point", entryPoint);
            body.put("parameters", parameters);
            putIfPresent(body, "experiment_id", experimentId);
            putIfPresent(body, "experiment_name", experimentName);
            putIfPresent(body, "run_name", runName);
            String chosen = backend != null ? backend : configured == null ? null : configured.toString();
            putIfPresent(body, "backend", chosen);
            if (!config.isEmpty()) {
                body.put("backend_config", config);
            }
            return body;
        }
    }

    private RunCommand() {
    }

    static Submission parse(List<String> args, Path base) {
        Arguments parsed = Arguments.parse(args, OPTIONS);
        String uri = parsed.positionals("<uri>").get(0);
        parsed.atMostOne("experiment-name", "experiment-id");
        String config = parsed.get("backend-config");
        return new Submission(uri, parsed.get("version"), parsed.get("entry-point"), parsed.parameters("param-list"),
                parsed.get("experiment-id"), parsed.get("experiment-name"), parsed.get("run-name"),
                parsed.get("backend"),
                config == null ? Map.of() : BackendConfig.forServer(BackendConfig.parse(config, base), base),
                parsed.has("detach"));
    }

    static int run(List<String> args, Cli cli) {
        Submission submission = parse(args, cli.workingDirectory());
        ProjectsApi api = cli.api();
        String uri = ProjectUpload.through(api, cli.err())
                .serverUri(submission.uri(), submission.version(), cli.workingDirectory());
        JsonNode run = api.submitRun(submission.body(uri));
        String runId = run.path("run_id").asText();
        cli.err().printf("Run %s submitted to %s (%s backend, experiment %s): %s%n"
                        + "    output: quarkflow logs -f %s%n    cancel: quarkflow cancel %s%n",
                runId, api.server(), run.path("backend").asText(), run.path("experiment_id").asText(),
                run.path("command").asText(), runId, runId);
        if (submission.detach()) {
            cli.out().println(runId);
            return 0;
        }
        return follow(api, runId, cli);
    }

    /** Streams the run's output, then waits for its end; Ctrl-C meanwhile cancels it. */
    private static int follow(ProjectsApi api, String runId, Cli cli) {
        JsonNode ended;
        try (Follow.CancelOnInterrupt cancel = new Follow.CancelOnInterrupt("run " + runId,
                () -> api.cancelRun(runId), () -> api.getRun(runId), cli.err())) {
            try {
                Follow.logs(api, runId, null, cli.out());
            } catch (ApiException | UncheckedIOException e) { // the output is a convenience: the status decides
                cli.err().println("No more output of run " + runId + " (" + e.getMessage() + "); waiting for its end");
            }
            ended = Follow.awaitTerminal(() -> api.getRun(runId), null);
        }
        String status = ended.path("status").asText();
        if (status.equals("FINISHED")) {
            cli.err().println("Run " + runId + " FINISHED");
            return 0;
        }
        String reason = ended.path("failure_reason").asText("");
        cli.err().println("Run " + runId + " " + status + (reason.isEmpty() ? "" : ": " + reason));
        return 1;
    }

    private static void putIfPresent(Map<String, Object> body, String name, String value) {
        if (value != null) {
            body.put(name, value);
        }
    }
}
