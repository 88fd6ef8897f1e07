package io.quarkflow.tracking.api;

import static io.restassured.RestAssured.given;

import java.util.Arrays;

/** Reads one series from the service's Prometheus endpoint, as a scraper would. */
final class MetricsScrape {

    private MetricsScrape() {
    }

    /** The sum of the samples of {@code name} whose labels include all of {@code labels} (name="value"); 0 if none. */
    static double value(String name, String... labels) {
        String text = given().get("/q/metrics").then().statusCode(200).extract().asString();
        return text.lines()
                .filter(line -> line.startsWith(name + " ") || line.startsWith(name + "{"))
                .filter(line -> Arrays.stream(labels).allMatch(line::contains))
                .mapToDouble(MetricsScrape::sampleValue)
                .sum();
    }

    /** A sample's value: the first token after its labels (an OpenMetrics exemplar and its timestamp may follow). */
    private static double sampleValue(String line) {
        int labelsEnd = line.indexOf('}');
        String rest = labelsEnd >= 0 ? line.substring(labelsEnd + 1) : line.substring(line.indexOf(' '));
        return Double.parseDouble(rest.trim().split(" ")[0]);
    }
}
