package io.quarkflow.events;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * An alias of a registered model was deleted (registered-models/alias delete). Deleting an alias the model does not
 * have publishes nothing; aliases that go with their version are listed in {@link ModelVersionDeleted}.
 *
 * @param version the version number it pointed to
 */
public record RegisteredModelAliasDeleted(
        @JsonProperty("name") String name,
        @JsonProperty("alias") String alias,
        @JsonProperty("version") String version) {

    public static final String TYPE = "io.quarkflow.registered-model.alias-deleted";
}
