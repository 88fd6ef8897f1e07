package io.quarkflow.events;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A registered model was created in the model registry (registered-models/create, or the first
 * {@code log_model(..., registered_model_name=...)} of a name). Like every registry event it is on
 * {@link Topics#REGISTRY_EVENTS}, keyed by the model's name, and its CloudEvents subject is that name.
 *
 * @param description       empty when the client gave none
 * @param creationTimestamp epoch milliseconds
 */
public record RegisteredModelCreated(
        @JsonProperty("name") String name,
        @JsonProperty("description") String description,
        @JsonProperty("creation_timestamp") long creationTimestamp) {

    public static final String TYPE = "io.quarkflow.registered-model.created";
}
