package io.quarkflow.e2e;

import io.quarkflow.e2e.PythonClient.Line;
import io.quarkflow.e2e.PythonClient.PytestRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The stock MLflow Python client, 3.3 and 2.17, against the authenticating gateway: the pytest suite in
 * {@code src/test/python} (see its README) as a child process. Its tests marked {@code mlflow3} skip themselves
 * under MLflow 2. Where there is no Python with MLflow, or setup.sh cannot build one, the tests are skipped with the
 * reason, except on CI ({@code CI=true}), where they fail.
 */
@EndToEnd
class PythonClientTest {

    private final QuarkflowSuite suite;

    PythonClientTest(QuarkflowSuite suite) {
        this.suite = suite;
    }

    @Test
    @Timeout(value = 15, unit = TimeUnit.MINUTES) // lifts the module's default: a first run builds the venv
    void mlflow3() throws Exception {
        assertSuitePasses(Line.MLFLOW_3);
    }

    @Test
    @Timeout(value = 15, unit = TimeUnit.MINUTES)
    void mlflow2() throws Exception {
        assertSuitePasses(Line.MLFLOW_2);
    }

    private void assertSuitePasses(Line line) throws Exception {
        PytestRun run = PythonClient.required(line).pytest(Map.of(
                "MLFLOW_TRACKING_URI", suite.gateway().toString(),
                "MLFLOW_TRACKING_TOKEN", GatewayIdentities.EDITOR_TOKEN,
                "QUARKFLOW_E2E_USERNAME", GatewayIdentities.EDITOR,
                "QUARKFLOW_E2E_PASSWORD", GatewayIdentities.EDITOR_PASSWORD,
                "QUARKFLOW_E2E_READER_TOKEN", GatewayIdentities.READER_TOKEN));
        // Exit code 5 (nothing collected) fails too: a suite that tests nothing must not pass.
        assertEquals(0, run.exitCode(), () -> "pytest with " + line + ": " + run.outcome()
                + "; its report is above in the test output and in " + run.log());
    }
}
