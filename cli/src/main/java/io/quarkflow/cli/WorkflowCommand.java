package io.quarkflow.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkflow.cli.Arguments.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code quarkflow workflow run|get|list|cancel}: a workflow file submitted (its local projects uploaded), then
 * followed step by step until it ends, exit code 0 when it FINISHED and 1 otherwise; Ctrl-C cancels it on the
 * server. The server runs the steps, in the order their {@code depends_on} give, and reuses finished ones.
 */
final class WorkflowCommand {

    private static final Option[] RUN_OPTIONS = {
        Option.value("experiment-name", null),
        Option.value("experiment-id", null),
        Option.value("run-name", null),
        Option.repeated("param-list", "P"),
        Option.flag("detach", null),
    };

    /** {@code workflow run}'s command line, read. */
    record Submission(Path file, String experimentId, String experimentName, String runName,
                      Map<String, String> parameters, boolean detach) {

        Map<String, Object> body(ObjectNode spec) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("workflow", spec);
            if (experimentId != null) {
                body.put("experiment_id", experimentId);
            }
            if (experimentName != null) {
                body.put("experiment_name", experimentName);
            }
            if (runName != null) {
                body.put("run_name", runName);
            }
            if (!parameters.isEmpty()) {
                body.put("parameters", parameters);
            }
            return body;
        }
    }

    private WorkflowCommand() {
    }

    static int run(List<String> args, Cli cli) {
        if (args.isEmpty()) {
            throw new Arguments.UsageException("Missing command: workflow run, get, list or cancel");
        }
        List<String> rest = args.subList(1, args.size());
        return switch (args.get(0)) {
            case "run" -> submit(parseRun(rest, cli.workingDirectory()), cli);
            case "get" -> get(rest, cli);
            case "list" -> list(rest, cli);
            case "cancel" -> cancel(rest, cli);
            default -> throw new Arguments.UsageException("No such command: workflow " + args.get(0));
        };
    }

    static Submission parseRun(List<String> args, Path base) {
        Arguments parsed = Arguments.parse(args, RUN_OPTIONS);
        Path file = base.resolve(parsed.positionals("<file.yaml>").get(0));
        parsed.atMostOne("experiment-name", "experiment-id");
        return new Submission(file, parsed.get("experiment-id"), parsed.get("experiment-name"),
                parsed.get("run-name"), parsed.parameters("param-list"), parsed.has("detach"));
    }

    private static int submit(Submission submission, Cli cli) {
        ObjectNode spec = WorkflowSpec.withUploadedProjects(WorkflowSpec.load(submission.file()),
                submission.file().toAbsolutePath().getParent(), ProjectUpload.through(cli.api(), cli.err()));
        JsonNode workflow = cli.api().submitWorkflow(submission.body(spec));
        String id = workflow.path("workflow_id").asText();
        cli.err().printf("Workflow %s (%s) submitted to %s, experiment %s%n"
                        + "    status: quarkflow workflow get %s%n    cancel: quarkflow workflow cancel %s%n",
                id, workflow.path("name").asText(), cli.api().server(), workflow.path("experiment_id").asText(),
                id, id);
        if (submission.detach()) {
            cli.out().println(id);
            return 0;
        }
        return follow(id, cli);
    }

    /** A line for each step whose state changed since the last look, until the workflow ends. */
    private static int follow(String id, Cli cli) {
        ProjectsApi api = cli.api();
        Map<String, String> seen = new LinkedHashMap<>();
        JsonNode now;
        try (Follow.CancelOnInterrupt cancel = new Follow.CancelOnInterrupt("workflow " + id,
                () -> api.cancelWorkflow(id), () -> api.getWorkflow(id), cli.err())) {
            now = api.getWorkflow(id);
            while (true) {
                changes(seen, now).forEach(cli.out()::println);
                if (Follow.ended(now)) {
                    break;
                }
                Follow.sleep(Follow.POLL);
                now = api.getWorkflow(id);
            }
        }
        String status = now.path("status").asText();
        cli.err().println("Workflow " + id + " " + status);
        return status.equals("FINISHED") ? 0 : 1;
    }

    /** The lines of the steps that look different from {@code seen} (by name), which is updated. */
    static List<String> changes(Map<String, String> seen, JsonNode workflow) {
        List<String> lines = new ArrayList<>();
        for (JsonNode step : workflow.path("steps")) {
            String line = describe(step);
            if (!line.equals(seen.put(step.path("name").asText(), line))) {
                lines.add(line);
            }
        }
        return lines;
    }

    /** {@code step train: RUNNING (run <id>)}, {@code (reused run <id>)}, and why it failed. */
    static String describe(JsonNode step) {
        StringBuilder line = new StringBuilder("step ").append(step.path("name").asText()).append(": ")
                .append(step.path("status").asText());
        String runId = step.path("run_id").asText("");
        if (!runId.isEmpty()) {
            line.append(step.path("reused").asBoolean() ? " (reused run " : " (run ").append(runId).append(')');
        }
        String reason = step.path("failure_reason").asText("");
        if (!reason.isEmpty()) {
            line.append(": ").append(reason);
        }
        return line.toString();
    }

    private static int get(List<String> args, Cli cli) {
        String id = Arguments.parse(args).positionals("<workflow_id>").get(0);
        JsonNode workflow = cli.api().getWorkflow(id);
        cli.out().printf("Workflow %s (%s): %s, experiment %s, submitted %s by %s%n", id,
                workflow.path("name").asText(), workflow.path("status").asText(),
                workflow.path("experiment_id").asText(), Table.time(workflow.path("submitted_at").asLong()),
                workflow.path("submitted_by").asText());
        Table steps = new Table("STEP", "STATUS", "RUN ID", "DEPENDS ON", "ENTRY POINT", "FAILURE");
        for (JsonNode step : workflow.path("steps")) {
            List<String> dependsOn = new ArrayList<>();
            step.path("depends_on").forEach(name -> dependsOn.add(name.asText()));
            String runId = step.path("run_id").asText("");
            steps.row(step.path("name").asText(), step.path("status").asText(),
                    runId + (step.path("reused").asBoolean() ? " (reused)" : ""), String.join(",", dependsOn),
                    step.path("entry_point").asText(""), step.path("failure_reason").asText(""));
        }
        steps.print(cli.out());
        return 0;
    }

    private static int list(List<String> args, Cli cli) {
        Arguments parsed = Arguments.parse(args, Option.value("experiment-id", null), Option.value("status", null),
                Option.value("max-results", null));
        parsed.positionals();
        Table table = new Table("WORKFLOW ID", "STATUS", "NAME", "EXPERIMENT", "SUBMITTED", "STEPS");
        List<JsonNode> workflows = ProjectsApi.pages("workflows", parsed.number("max-results", 1, 100),
                (size, token) -> cli.api().listWorkflows(parsed.get("experiment-id"), parsed.get("status"), size,
                        token));
        for (JsonNode workflow : workflows) {
            table.row(workflow.path("workflow_id").asText(), workflow.path("status").asText(),
                    workflow.path("name").asText(), workflow.path("experiment_id").asText(),
                    Table.time(workflow.path("submitted_at").asLong()), String.valueOf(workflow.path("steps").size()));
        }
        table.print(cli.out());
        return 0;
    }

    private static int cancel(List<String> args, Cli cli) {
        String id = Arguments.parse(args).positionals("<workflow_id>").get(0);
        JsonNode workflow = cli.api().cancelWorkflow(id);
        cli.out().println("Workflow " + id + ": " + workflow.path("status").asText()
                + (Follow.ended(workflow) ? "" : ", cancel requested"));
        return 0;
    }
}
