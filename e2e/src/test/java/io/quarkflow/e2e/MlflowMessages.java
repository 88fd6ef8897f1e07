package io.quarkflow.e2e;

import org.junit.jupiter.api.function.Executable;
import org.mlflow.api.proto.Service.Experiment;
import org.mlflow.api.proto.Service.ExperimentTag;
import org.mlflow.api.proto.Service.Metric;
import org.mlflow.api.proto.Service.Param;
import org.mlflow.api.proto.Service.Run;
import org.mlflow.api.proto.Service.RunTag;
import org.mlflow.tracking.MlflowHttpException;

import java.net.http.HttpResponse;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The MLflow client's protobuf messages made comparable (maps, strings), and MLflow's errors asserted. */
final class MlflowMessages {

    private MlflowMessages() {
    }

    /** Every test works in experiments of its own, named uniquely, so that no test sees another's data. */
    static String uniqueName(String prefix) {
        return prefix + "-" + UUID.randomUUID();
    }

    /** A run id that no run has: MLflow's 32 hex digits. */
    static String unknownRunId() {
        return UUID.randomUUID().toString().replace("-", "");
    }

    static MlflowHttpException assertHttpError(int status, String errorCode, Executable call) {
        MlflowHttpException e = assertThrows(MlflowHttpException.class, call);
        assertEquals(status, e.getStatusCode(), e::getMessage);
        assertTrue(e.getBodyMessage() != null && e.getBodyMessage().contains("\"" + errorCode + "\""),
                () -> "expected " + errorCode + " in " + e.getBodyMessage());
        return e;
    }

    /** An MLflow error over plain HTTP: the status, and the error code in a JSON body. */
    static void assertJsonError(int status, String errorCode, HttpResponse<String> response) {
        assertEquals(status, response.statusCode(), response::body);
        assertEquals(errorCode, GatewayHttp.json(response).path("error_code").asText(), response::body);
    }

    static Map<String, String> experimentTags(Experiment experiment) {
        return experiment.getTagsList().stream().collect(Collectors.toMap(ExperimentTag::getKey, ExperimentTag::getValue));
    }

    static Map<String, String> params(Run run) {
        return run.getData().getParamsList().stream().collect(Collectors.toMap(Param::getKey, Param::getValue));
    }

    static Map<String, String> tags(Run run) {
        return run.getData().getTagsList().stream().collect(Collectors.toMap(RunTag::getKey, RunTag::getValue));
    }

    /** The latest value of each metric, as runs/get reports it. */
    static Map<String, Double> latestMetrics(Run run) {
        return run.getData().getMetricsList().stream().collect(Collectors.toMap(Metric::getKey, Metric::getValue));
    }

    static Metric metric(String key, double value, long timestamp, long step) {
        return Metric.newBuilder().setKey(key).setValue(value).setTimestamp(timestamp).setStep(step).build();
    }

    static Param param(String key, String value) {
        return Param.newBuilder().setKey(key).setValue(value).build();
    }

    static RunTag tag(String key, String value) {
        return RunTag.newBuilder().setKey(key).setValue(value).build();
    }

    /** A metric point rendered with everything that identifies it: key, value, timestamp, step. */
    static String point(Metric metric) {
        return metric.getKey() + "=" + metric.getValue() + "@" + metric.getTimestamp() + "#" + metric.getStep();
    }
}
