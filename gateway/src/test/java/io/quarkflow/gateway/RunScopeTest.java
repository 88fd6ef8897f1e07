package io.quarkflow.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a run token may change, decided from method and path alone, and how a JSON body must name its run. */
class RunScopeTest {

    private static final String RUN = "r1";

    @Test
    void runWritesNeedTheBodyToNameTheRun() {
        RunScope.Requirement runFields = new RunScope.BodyNamesRun(List.of("run_id", "run_uuid"));
        assertEquals(runFields, RunScope.of(HttpMethod.POST, "/api/2.0/mlflow/runs/log-batch", RUN));
        assertEquals(runFields, RunScope.of(HttpMethod.POST, "/ajax-api/2.0/mlflow/runs/set-tag", RUN));
        assertEquals(new RunScope.BodyNamesRun(List.of("source_run_id")),
                RunScope.of(HttpMethod.POST, "/api/2.0/mlflow/logged-models", RUN));
        for (String refused : List.of("/api/2.0/mlflow/runs/create", "/api/2.0/mlflow/runs/delete",
                "/api/2.0/mlflow/runs/restore", "/api/2.0/mlflow/experiments/create", "/api/2.0/mlflow/runs/log-batchx",
                "/api/2.0/mlflow/runs/log-batch/x", "/api/2.1/mlflow/runs/log-batch", "/api/2.0/quarkflow/projects/runs/submit",
                "/api/2.0/quarkflow/workflows/submit", "/api/2.0/quarkflow/workflows/cancel")) {
            assertEquals(new RunScope.Refused(), RunScope.of(HttpMethod.POST, refused, RUN), refused);
        }
        assertEquals(new RunScope.Refused(), RunScope.of(HttpMethod.PATCH, "/api/2.0/mlflow/runs/update", RUN));
    }

    @Test
    void modelWritesNeedTheModelToComeFromTheRun() {
        String model = "/api/2.0/mlflow/logged-models/m-1";
        assertEquals(new RunScope.ModelOfRun("m-1"), RunScope.of(HttpMethod.PATCH, model, RUN));
        assertEquals(new RunScope.ModelOfRun("m-1"), RunScope.of(HttpMethod.DELETE, model, RUN));
        assertEquals(new RunScope.ModelOfRun("m-1"), RunScope.of(HttpMethod.POST, model + "/params", RUN));
        assertEquals(new RunScope.ModelOfRun("m-1"), RunScope.of(HttpMethod.PATCH, model + "/tags", RUN));
        assertEquals(new RunScope.ModelOfRun("m-1"), RunScope.of(HttpMethod.DELETE, model + "/tags/k", RUN));
        assertEquals(new RunScope.Refused(), RunScope.of(HttpMethod.POST, model, RUN));
        assertEquals(new RunScope.Refused(), RunScope.of(HttpMethod.PUT, model + "/params", RUN));
        assertEquals(new RunScope.ModelOfRun("m-1"),
                RunScope.of(HttpMethod.PUT, "/api/2.0/mlflow-artifacts/artifacts/3/models/m-1/artifacts/MLmodel", RUN));
    }

    @Test
    void artifactWritesMustBeUnderTheRunsOwnLocation() {
        String artifacts = "/api/2.0/mlflow-artifacts/artifacts/";
        assertEquals(new RunScope.Allowed(), RunScope.of(HttpMethod.PUT, artifacts + "3/r1/artifacts/a/b.txt", RUN));
        assertEquals(new RunScope.Allowed(), RunScope.of(HttpMethod.DELETE, artifacts + "3/r1/artifacts", RUN));
        assertEquals(new RunScope.Allowed(),
                RunScope.of(HttpMethod.POST, "/ajax-api/2.0/mlflow-artifacts/mpu/complete/3/r1/artifacts/x", RUN));
        assertEquals(new RunScope.Allowed(), RunScope.of(HttpMethod.PUT, artifacts + "3/r%31/artifacts/a%20b", RUN));
        for (String path : List.of("3/r2/artifacts/a", "3/r1/other/a", "r1/artifacts/a", "3/r1", "3/r1/artifacts/../x",
                "3/r1/artifacts/a//b", "3/r1/artifacts/%2e%2e/x", "3/r1/artifacts/a%2Fb", "3/r1/artifacts/a%00",
                "3/r1/artifacts/%zz", "3/r1%2F..%2Fr2/artifacts/a")) {
            assertEquals(new RunScope.Refused(), RunScope.of(HttpMethod.PUT, artifacts + path, RUN), path);
        }
        assertEquals(new RunScope.Refused(), RunScope.of(HttpMethod.POST, artifacts + "3/r1/artifacts/a", RUN));
        assertEquals(new RunScope.Refused(),
                RunScope.of(HttpMethod.PUT, "/api/2.0/mlflow-artifacts/mpu/create/3/r1/artifacts/a", RUN));
    }

    @Test
    void theBodyMustNameTheRunInEveryRunFieldItHas() {
        List<String> fields = List.of("run_id", "run_uuid");
        assertEquals(true, RunWrites.namesRun(Buffer.buffer("{\"run_id\": \"r1\", \"x\": {\"run_id\": \"r2\"}}"), fields, RUN));
        assertEquals(true, RunWrites.namesRun(Buffer.buffer("{\"run_uuid\": \"r1\", \"run_id\": \"\"}"), fields, RUN));
        for (String body : List.of("{\"run_id\": \"r2\"}", "{\"run_id\": \"r1\", \"run_uuid\": \"r2\"}", "{}",
                "{\"run_id\": \"r1\", \"run_id\": \"r2\"}", "{\"run_id\": 1}", "{\"run_id\": \"r1\"} []", "[]", "",
                "{\"run_id\": \"r1\"", "{\"run_id\": \"\"}")) {
            assertEquals(false, RunWrites.namesRun(Buffer.buffer(body), fields, RUN), body);
        }
    }
}
