package io.quarkflow.cli;

import java.io.PrintStream;
import java.nio.file.Path;

/**
 * What every command works with.
 *
 * @param api              the server, through its gateway (no request is made until a command makes one)
 * @param out              the command's result: a run's output, tables, ids
 * @param err              what it says about its progress, and errors
 * @param workingDirectory where relative paths start
 */
record Cli(ProjectsApi api, PrintStream out, PrintStream err, Path workingDirectory) {
}
