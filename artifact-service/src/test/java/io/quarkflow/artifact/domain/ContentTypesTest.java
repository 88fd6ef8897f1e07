package io.quarkflow.artifact.domain;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ContentTypesTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "metrics.json|text/plain",
        "model/MLmodel|text/plain",
        "project/mlproject|text/plain",
        "conda.yaml|text/plain",
        "train.log|text/plain",
        "plot.png|image/png",
        "photo.JPG|image/jpeg",
        "report.html|text/html",
        "model.pkl|application/octet-stream",
        "weights|application/octet-stream",
        ".hidden|application/octet-stream",
        "archive.tar.gz|application/octet-stream"})
    void guessesLikeMlflow(String path, String type) {
        assertEquals(type, ContentTypes.of(path));
    }
}
