package io.quarkflow.e2e;

import io.quarkflow.process.ChildProcess;
import io.quarkflow.process.Command;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * A Python with the stock MLflow client, and runs of the pytest suite in {@code src/test/python} with it. The Python
 * comes from {@code ../shared/python-mlflow/setup.sh} beside the repository, which builds a venv on first use and
 * reuses it after; without that script, from a {@code python3} that imports everything the suite needs.
 */
final class PythonClient {

    /** The script, as the project's READMEs call it from the repository root. */
    private static final String SETUP = "../shared/python-mlflow/setup.sh";
    /** A first build installs MLflow and its dependencies; a later call returns in about a second. */
    private static final Duration SETUP_TIMEOUT = Duration.ofMinutes(8);
    private static final Duration IMPORT_CHECK_TIMEOUT = Duration.ofMinutes(1);
    /** A run takes about a minute on a busy machine; past this it hangs. */
    private static final Duration PYTEST_TIMEOUT = Duration.ofMinutes(4);
    /** What the suite imports beyond the standard library. */
    private static final String IMPORTS = "import mlflow, pytest, sklearn, pandas, pyarrow, matplotlib, yaml";
    /** A developer's shell may point the client elsewhere or add credentials; the suite gets only what it is given. */
    private static final List<String> INHERITED_PREFIXES_DROPPED = List.of("MLFLOW_");

    /** An MLflow release line and the venv setup.sh builds for it. */
    enum Line {
        MLFLOW_3("3", null),
        MLFLOW_2("2", ".cache/quarkflow-mlflow-2");

        private final String number;
        /** Under the user's home; null for setup.sh's default. */
        private final String venv;

        Line(String number, String venv) {
            this.number = number;
            this.venv = venv;
        }

        @Override
        public String toString() {
            return "MLflow " + number;
        }
    }

    /** No Python with this line's client here; the message says what was tried and how to get one. */
    static final class NotFound extends Exception {
        NotFound(String message) {
            super(message);
        }
    }

    /** How a pytest run ended; {@code exitCode} is -1 when it was stopped at the timeout. */
    record PytestRun(int exitCode, Duration took, Path log) {

        String outcome() {
            return switch (exitCode) {
                case 0 -> "passed";
                case 1 -> "tests failed";
                case 2 -> "interrupted";
                case 3 -> "pytest failed internally";
                case 4 -> "usage error";
                case 5 -> "no tests were collected";
                case -1 -> "stopped after " + PYTEST_TIMEOUT.toMinutes() + " minutes";
                default -> "exit code " + exitCode;
            };
        }
    }

    private final Line line;
    private final String python;
    /** The e2e module: surefire runs in it. */
    private final Path module;

    private PythonClient(Line line, String python, Path module) {
        this.line = line;
        this.python = python;
        this.module = module;
    }

    /**
     * This machine's PATH with the MLflow 3 client's Python first, for processes that run MLflow code as a user's
     * shell would; the PATH as it is when there is none.
     */
    static String pathWithMlflow() throws IOException, InterruptedException {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        try {
            Path python = Path.of(find(Line.MLFLOW_3).python);
            return python.getParent() == null ? path : python.getParent() + ":" + path;
        } catch (NotFound e) {
            System.err.println("Project runs get no MLflow client on their PATH: " + e.getMessage());
            return path;
        }
    }

    /** The python executable with this line's MLflow. */
    String python() {
        return python;
    }

    /**
     * {@link #find}, for a test that cannot run without it: the test is skipped with the reason, except on CI
     * ({@code CI=true}), where it fails.
     */
    static PythonClient required(Line line) throws IOException, InterruptedException {
        try {
            return find(line);
        } catch (NotFound e) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                return Assertions.fail(e.getMessage());
            }
            return Assumptions.abort(e.getMessage() + " (on CI, with CI=true, this fails)");
        }
    }

    /** This line's Python, built by setup.sh if need be; for MLflow 3 without setup.sh, a capable python3. */
    static PythonClient find(Line line) throws NotFound, IOException, InterruptedException {
        Path module = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        if (!Files.isRegularFile(module.resolve("src/test/python/conftest.py"))) {
            throw new IllegalStateException(module + " is not the e2e module; run the tests through Maven");
        }
        Path repository = module.getParent();
        Path setup = repository.resolve(SETUP).normalize();
        if (Files.isRegularFile(setup)) {
            return new PythonClient(line, setUp(line, module, repository), module);
        }
        String absent = setup + " is absent: it builds the MLflow clients (the project's shared folder belongs"
                + " beside the repository)";
        if (line == Line.MLFLOW_2) {
            throw new NotFound(absent);
        }
        if (python3Imports(module)) {
            return new PythonClient(line, "python3", module);
        }
        throw new NotFound(absent + "; nor can python3 " + IMPORTS
                + " (pip install mlflow pytest scikit-learn pandas pyarrow matplotlib pyyaml)");
    }

    /**
     * Runs the whole suite against the gateway {@code environment} names; the output goes to
     * {@code target/python-client/<line>/pytest.log} and then to this JVM's output, so that Maven's log shows the
     * report.
     */
    PytestRun pytest(Map<String, String> environment) throws IOException, InterruptedException {
        Path output = outputRoot(module).resolve("mlflow-" + line.number);
        deleteTree(output);
        Path workingDirectory = Files.createDirectories(output.resolve("work"));
        Path log = output.resolve("pytest.log");
        Map<String, String> all = new HashMap<>(environment);
        all.put("MLFLOW_HTTP_REQUEST_MAX_RETRIES", "0"); // a failing call fails now, not after minutes of retries
        all.put("MLFLOW_DISABLE_TELEMETRY", "true");
        all.put("PYTHONDONTWRITEBYTECODE", "1"); // nothing written into the source tree
        all.put("PYTHONUNBUFFERED", "1");
        all.put("PYTHONIOENCODING", "utf-8");
        all.put("PYTHONPATH", installPlugin(output).toString());
        List<String> commandLine = List.of(python, "-m", "pytest", module.resolve("src/test/python").toString(),
                "-v", "--durations=5", "--basetemp=" + output.resolve("tmp"));
        long started = System.nanoTime();
        int exitCode = run(Command.of("pytest (" + line + ")", commandLine)
                .withoutInherited(INHERITED_PREFIXES_DROPPED)
                .withEnvironment(all)
                .withDirectory(workingDirectory)
                .withLog(log), PYTEST_TIMEOUT);
        PytestRun run = new PytestRun(exitCode, Duration.ofNanos(System.nanoTime() - started), log);
        System.out.printf("---- pytest with %s (%s), %s in %.1f s; output in %s%n%s---- end of pytest with %s%n",
                line, python, run.outcome(), run.took().toMillis() / 1e3, log,
                read(log), line);
        return run;
    }

    /**
     * Quarkflow's MLflow plugin (clients/python) installed for this run only, into {@code <output>/plugin}, which
     * goes on the PYTHONPATH: the venv stays as setup.sh built it. Built from a copy, so that setuptools writes
     * nothing into the source tree.
     */
    private Path installPlugin(Path output) throws IOException, InterruptedException {
        Path source = output.resolve("plugin-source");
        copyTree(module.getParent().resolve("clients/python"), source);
        Path target = output.resolve("plugin");
        Path log = output.resolve("plugin-install.log");
        int exitCode = run(Command.of("pip install clients/python (" + line + ")", List.of(python, "-m", "pip",
                        "install", "--no-deps", "--no-build-isolation", "--no-index", "--target", target.toString(),
                        source.toString()))
                .withoutInherited(INHERITED_PREFIXES_DROPPED)
                .withDirectory(output)
                .withLog(log), SETUP_TIMEOUT);
        if (exitCode != 0) {
            throw new IllegalStateException("Could not install clients/python: " + read(log));
        }
        return target;
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (var files = Files.walk(from)) {
            for (Path file : files.toList()) {
                Path copy = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(copy);
                } else {
                    Files.copy(file, copy);
                }
            }
        }
    }

    /** The venv's python: setup.sh prints it as its last line. */
    private static String setUp(Line line, Path module, Path repository)
            throws NotFound, IOException, InterruptedException {
        Path log = outputRoot(module).resolve("setup-mlflow-" + line.number + ".log");
        List<String> commandLine = new ArrayList<>(List.of("bash", SETUP));
        if (line.venv != null) {
            commandLine.add(Path.of(System.getProperty("user.home")).resolve(line.venv).toString());
        }
        // Called as the READMEs call it, from the repository root: its up-to-date stamp depends on the path used.
        int exitCode = run(Command.of("setup.sh (" + line + ")", commandLine)
                .withoutInherited(INHERITED_PREFIXES_DROPPED)
                .withEnvironment(Map.of("MLFLOW_LINE", line.number))
                .withDirectory(repository)
                .withLog(log), SETUP_TIMEOUT);
        List<String> output = read(log).lines().toList();
        String last = output.isEmpty() ? "" : output.get(output.size() - 1).strip();
        if (exitCode != 0 || !Files.isRegularFile(Path.of(last)) || !Files.isExecutable(Path.of(last))) {
            String ended = exitCode == -1 ? "stopped after " + SETUP_TIMEOUT.toMinutes() + " minutes"
                    : "exit code " + exitCode;
            throw new NotFound(SETUP + " did not build the " + line + " client (" + ended + "); its output, also in "
                    + log + ":\n" + String.join("\n", output));
        }
        return last;
    }

    private static Path outputRoot(Path module) throws IOException {
        return Files.createDirectories(module.resolve("target/python-client"));
    }

    private static boolean python3Imports(Path module) throws InterruptedException {
        try {
            Command check = Command.of("python3 imports", List.of("python3", "-c", IMPORTS))
                    .withoutInherited(INHERITED_PREFIXES_DROPPED)
                    .withLog(outputRoot(module).resolve("python3-imports.log"));
            return run(check, IMPORT_CHECK_TIMEOUT) == 0;
        } catch (IOException noPython) {
            return false;
        }
    }

    /** The exit code, or -1 when the timeout passed and the process was stopped with all it started. */
    private static int run(Command command, Duration timeout) throws IOException, InterruptedException {
        try (ChildProcess process = ChildProcess.start(command)) {
            return process.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS).exitCode();
        } catch (TimeoutException e) {
            return -1;
        } catch (ExecutionException e) {
            throw new IllegalStateException(command.name() + " could not be awaited", e);
        }
    }

    /** Decoded leniently: a child may write anything, and a broken byte must not hide its report. */
    private static String read(Path log) throws IOException {
        return new String(Files.readAllBytes(log), StandardCharsets.UTF_8);
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
