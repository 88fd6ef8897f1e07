package io.quarkflow.tracking.domain;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

public record RunTag(String key, String value) {

    /** The tag that holds the run's name; it and the run's run_name always agree. */
    public static final String RUN_NAME = "mlflow.runName";

    /** Tags sorted by key, the last value given for a key winning, as in MLflow. */
    public static List<RunTag> lastPerKey(List<RunTag> tags) {
        Map<String, RunTag> byKey = new TreeMap<>();
        tags.forEach(tag -> byKey.put(tag.key(), tag));
        return List.copyOf(byKey.values());
    }

    /** The run name these tags set, the last one winning. */
    public static Optional<String> runName(List<RunTag> tags) {
        return tags.stream().filter(tag -> tag.key().equals(RUN_NAME)).map(RunTag::value)
                .reduce((first, second) -> second);
    }
}
