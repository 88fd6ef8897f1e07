package io.quarkflow.events;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A registered model was renamed; its versions, tags and aliases moved with it. Keyed by (and the subject is) the
 * new name, so that it comes before the model's later events and after those of a deleted model that had that name;
 * the model's earlier events were keyed by the old name, so on a topic of several partitions a consumer that must
 * order them across the rename has to wait for this event.
 *
 * @param lastUpdatedTimestamp epoch milliseconds
 */
public record RegisteredModelRenamed(
        @JsonProperty("old_name") String oldName,
        @JsonProperty("new_name") String newName,
        @JsonProperty("last_updated_timestamp") long lastUpdatedTimestamp) {

    public static final String TYPE = "io.quarkflow.registered-model.renamed";
}
