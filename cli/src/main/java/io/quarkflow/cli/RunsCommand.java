package io.quarkflow.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkflow.cli.Arguments.Option;

import java.util.List;

/** {@code quarkflow runs}, {@code cancel <run_id>} and {@code logs <run_id>}: project runs already submitted. */
final class RunsCommand {

    private RunsCommand() {
    }

    /** The newest runs first, page after page up to {@code --max-results} (100). */
    static int list(List<String> args, Cli cli) {
        Arguments parsed = Arguments.parse(args, Option.value("experiment-id", null), Option.value("status", null),
                Option.value("max-results", null));
        parsed.positionals();
        Table table = new Table("RUN ID", "STATUS", "BACKEND", "ENTRY POINT", "SUBMITTED", "PROJECT URI");
        List<JsonNode> runs = ProjectsApi.pages("runs", parsed.number("max-results", 1, 100),
                (size, token) -> cli.api().listRuns(parsed.get("experiment-id"), parsed.get("status"), size, token));
        for (JsonNode run : runs) {
            table.row(run.path("run_id").asText(), run.path("status").asText(), run.path("backend").asText(),
                    run.path("entry_point").asText(), Table.time(run.path("submitted_at").asLong()),
                    run.path("project_uri").asText());
        }
        table.print(cli.out());
        return 0;
    }

    static int cancel(List<String> args, Cli cli) {
        String runId = Arguments.parse(args).positionals("<run_id>").get(0);
        JsonNode run = cli.api().cancelRun(runId);
        cli.out().println("Run " + runId + ": " + run.path("status").asText()
                + (Follow.ended(run) ? "" : ", cancel requested"));
        return 0;
    }

    /** The run's output; with {@code -f}, until the run ends (waiting for it to start). */
    static int logs(List<String> args, Cli cli) {
        Arguments parsed = Arguments.parse(args, Option.flag("follow", "f"), Option.value("tail", null));
        String runId = parsed.positionals("<run_id>").get(0);
        Integer tail = parsed.has("tail") ? parsed.number("tail", 0, 0) : null;
        if (parsed.has("follow")) {
            Follow.logs(cli.api(), runId, tail, cli.out());
        } else {
            Follow.copy(cli.api().logs(runId, false, tail), cli.out());
        }
        return 0;
    }
}
