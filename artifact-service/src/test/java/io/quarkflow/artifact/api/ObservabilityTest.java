package io.quarkflow.artifact.api;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static io.quarkflow.artifact.api.ArtifactApi.ARTIFACTS;
import static io.quarkflow.artifact.api.ArtifactApi.download;
import static io.quarkflow.artifact.api.ArtifactApi.randomBytes;
import static io.quarkflow.artifact.api.ArtifactApi.unique;
import static io.quarkflow.artifact.api.ArtifactApi.upload;
import static io.quarkflow.artifact.api.ArtifactApi.uploaded;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The bytes artifact-service moves, on /q/metrics; its API description on /q/openapi. */
@QuarkusTest
class ObservabilityTest {

    private static final String IN = "direction=\"in\"";
    private static final String OUT = "direction=\"out\"";

    @Test
    void bytesInAndOutAreCountedAsTheyMove() {
        String path = unique("metered") + "/weights.bin";
        byte[] bytes = randomBytes(1024 * 1024 + 7);
        double inBefore = bytes(IN);
        double outBefore = bytes(OUT);

        uploaded(path, bytes);
        assertEquals(bytes.length, download(path).length);
        given().head(ARTIFACTS + "/" + path).then().statusCode(200); // headers only: nothing moves
        upload("../escape.bin", bytes).statusCode(400); // refused before any byte is read

        assertEquals(bytes.length, bytes(IN) - inBefore);
        assertEquals(bytes.length, bytes(OUT) - outBefore);
    }

    @Test
    void theApiDescriptionIsServed() {
        given().get("/q/openapi").then().statusCode(200)
                .body(containsString("/{prefix}/2.0/mlflow-artifacts/artifacts/{path}:"));
    }

    private static double bytes(String direction) {
        String text = given().get("/q/metrics").then().statusCode(200).extract().asString();
        return text.lines()
                .filter(line -> line.startsWith("quarkflow_artifact_bytes_total{") && line.contains(direction))
                .mapToDouble(ObservabilityTest::sampleValue)
                .sum();
    }

    /** A sample's value: the first token after its labels (an OpenMetrics exemplar and its timestamp may follow). */
    private static double sampleValue(String line) {
        int labelsEnd = line.indexOf('}');
        String rest = labelsEnd >= 0 ? line.substring(labelsEnd + 1) : line.substring(line.indexOf(' '));
        return Double.parseDouble(rest.trim().split(" ")[0]);
    }
}
