package io.quarkflow.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.abort;

import io.quarkflow.process.ChildProcess;
import io.quarkflow.process.Command;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The web UI in a real browser: Debian's headless Chromium, driven by playwright-core from the browser tests in
 * ui/tests (Node's test runner), against the suite through its authenticating gateway. The data they look at is
 * logged first by ui/tests/seed.py with the stock MLflow 3 client. Screenshots of every view are kept in
 * target/ui-screenshots. Without Chromium (or Node) the test is skipped with the reason, except on CI (CI=true),
 * where it fails; .ci/run installs Chromium.
 */
@EndToEnd
class WebUiTest {

    private static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"));
    private static final Pattern PASSED = Pattern.compile("^# pass (\\d+)$", Pattern.MULTILINE);

    private final QuarkflowSuite suite;

    WebUiTest(QuarkflowSuite suite) {
        this.suite = suite;
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void theBrowserTestsPass() throws Exception {
        Path module = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        Path ui = module.getParent().resolve("ui");
        if (!Files.isExecutable(CHROMIUM) || !Files.isDirectory(ui.resolve("node_modules/playwright-core"))) {
            String why = "no Chromium at " + CHROMIUM + " (apt-get install chromium) or no ui/node_modules (build "
                    + "module ui first)";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail(why);
            }
            abort(why);
        }
        Path output = Files.createDirectories(module.resolve("target/ui-tests"));
        Path seeded = output.resolve("seeded.json");
        Path screenshots = Files.createDirectories(module.resolve("target/ui-screenshots"));

        String python = PythonClient.required(PythonClient.Line.MLFLOW_3).python();
        Map<String, String> seedEnvironment = Map.of(
                "MLFLOW_TRACKING_URI", suite.gateway().toString(),
                "MLFLOW_TRACKING_TOKEN", GatewayIdentities.EDITOR_TOKEN,
                "MLFLOW_HTTP_REQUEST_MAX_RETRIES", "0",
                "MLFLOW_DISABLE_TELEMETRY", "true",
                "PYTHONDONTWRITEBYTECODE", "1");
        int seedExit = run(Command.of("seed the UI's data", List.of(python, ui.resolve("tests/seed.py").toString(),
                        seeded.toString()))
                .withoutInherited(List.of("MLFLOW_"))
                .withEnvironment(seedEnvironment)
                .withDirectory(output)
                .withLog(output.resolve("seed.log")), 5);
        assertEquals(0, seedExit, () -> "seed.py failed:\n" + read(output.resolve("seed.log")));

        Map<String, String> environment = new HashMap<>();
        environment.put("QUARKFLOW_URL", suite.gateway().toString().replaceAll("/$", ""));
        environment.put("QUARKFLOW_USERNAME", GatewayIdentities.EDITOR);
        environment.put("QUARKFLOW_PASSWORD", GatewayIdentities.EDITOR_PASSWORD);
        environment.put("QUARKFLOW_TOKEN", GatewayIdentities.EDITOR_TOKEN);
        environment.put("QUARKFLOW_SEEDED", seeded.toString());
        environment.put("QUARKFLOW_SCREENSHOTS", screenshots.toString());
        environment.put("QUARKFLOW_REPO", module.getParent().toString());
        environment.put("CHROMIUM", CHROMIUM.toString());
        Path log = output.resolve("browser-tests.log");
        // One file at a time: two browsers at once on a 2-core machine only make each flaky.
        int exit = run(Command.of("browser tests", List.of("node", "--test", "--test-concurrency=1", "--test-timeout=180000",
                        "--test-reporter=tap", "tests/"))
                .withEnvironment(environment)
                .withDirectory(ui)
                .withLog(log), 8);
        String report = read(log);
        System.out.println("---- browser tests\n" + report + "---- end of browser tests; screenshots in " + screenshots);
        assertEquals(0, exit, "the browser tests failed; their report is above and in " + log);
        Matcher passed = PASSED.matcher(report);
        assertTrue(passed.find() && Integer.parseInt(passed.group(1)) >= 10,
                "fewer browser tests passed than there are: " + log);
    }

    private static int run(Command command, int minutes) throws Exception {
        try (ChildProcess process = ChildProcess.start(command)) {
            return process.onExit().get(minutes, TimeUnit.MINUTES).exitCode();
        }
    }

    private static String read(Path file) {
        try {
            return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            return "(no output: " + e.getMessage() + ")";
        }
    }
}
