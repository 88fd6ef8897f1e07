package io.quarkflow.events;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A registered model was deleted with all its versions, tags and aliases (the registry deletes for good; no
 * {@link ModelVersionDeleted} follows for its versions). Its name can be registered again.
 *
 * @param deletedTime epoch milliseconds
 */
public record RegisteredModelDeleted(
        @JsonProperty("name") String name,
        @JsonProperty("deleted_time") long deletedTime) {

    public static final String TYPE = "io.quarkflow.registered-model.deleted";
}
