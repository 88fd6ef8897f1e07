package io.quarkflow.cli;

import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * {@code ./quarkflow run|runs|cancel|logs|workflow}: MLflow projects and workflows on a Quarkflow server. Exit codes:
 * 0 done (a followed run or workflow FINISHED), 1 failed, killed or refused by the server, 2 wrong usage, 130
 * interrupted (Ctrl-C, which cancels what was followed).
 */
public final class Main {

    static final String USAGE = """
            usage: quarkflow <command> [options]

              start [--build]                     start Quarkflow on this machine (./quarkflow only)
              run <uri> [options]                 run a project on the server: a Git URI or a directory (uploaded),
                                                  with an optional #subdirectory; follows its output until it ends
                  -e, --entry-point NAME          the entry point (main)
                  -v, --version VERSION           the Git branch, tag or commit
                  -P, --param-list NAME=VALUE     a parameter; repeat for more
                  --experiment-name NAME          the experiment, created if missing (or --experiment-id ID)
                  --run-name NAME
                  -b, --backend kubernetes|local  the server's default otherwise
                  -c, --backend-config JSON|FILE  a JSON object or a .json file, as for mlflow run
                                                  e.g. '{"backend": "kubernetes", "kube-job-template-path": "job.yaml"}'
                  --detach                        print the run id and return
              runs [--experiment-id ID] [--status STATUS] [--max-results N]
                                                  project runs, newest first (100)
              logs <run_id> [-f|--follow] [--tail N]
              cancel <run_id>
              workflow run <file.yaml> [--experiment-name NAME | --experiment-id ID] [--run-name NAME]
                                       [-P NAME=VALUE]... [--detach]
                                                  run a workflow of projects; follows its steps until it ends
              workflow get <workflow_id>
              workflow list [--experiment-id ID] [--status STATUS] [--max-results N]
              workflow cancel <workflow_id>
              help

            While a run or workflow is followed, Ctrl-C cancels it on the server. Exit codes: 0 finished, 1 failed,
            killed or refused, 2 wrong usage, 130 interrupted.
            Server: MLFLOW_TRACKING_URI (http://127.0.0.1:5000). Credentials: MLFLOW_TRACKING_TOKEN, or
            MLFLOW_TRACKING_USERNAME and MLFLOW_TRACKING_PASSWORD; else the token ./quarkflow start wrote
            (${QUARKFLOW_HOME:-.quarkflow}/token) for a server on this machine.
            """;

    private Main() {
    }

    public static void main(String[] args) {
        String repo = System.getProperty("quarkflow.repo");
        System.exit(run(List.of(args), System.getenv(), repo == null ? null : Path.of(repo),
                Path.of("").toAbsolutePath(), System.out, System.err));
    }

    /** Runs one command; returns its exit code. */
    static int run(List<String> args, Map<String, String> env, Path repo, Path workingDirectory, PrintStream out,
                   PrintStream err) {
        if (args.isEmpty() || List.of("help", "-h", "--help").contains(args.get(0))) {
            out.print(USAGE);
            return 0;
        }
        List<String> rest = args.subList(1, args.size());
        try {
            Cli cli = new Cli(new ProjectsApi(Connection.fromEnvironment(env, repo, workingDirectory)), out, err,
                    workingDirectory);
            return switch (args.get(0)) {
                case "run" -> RunCommand.run(rest, cli);
                case "runs" -> RunsCommand.list(rest, cli);
                case "cancel" -> RunsCommand.cancel(rest, cli);
                case "logs" -> RunsCommand.logs(rest, cli);
                case "workflow" -> WorkflowCommand.run(rest, cli);
                default -> throw new Arguments.UsageException("No such command: " + args.get(0));
            };
        } catch (Arguments.UsageException e) {
            err.println("quarkflow: " + e.getMessage());
            err.println();
            err.print(USAGE);
            return 2;
        } catch (ApiException e) {
            err.println(e);
            return 1;
        } catch (UncheckedIOException e) {
            err.println(e.getMessage());
            return 1;
        }
    }
}
