package io.quarkflow.events;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * An alias of a registered model now points to a version ({@code models:/<name>@<alias>} loads it): set for the
 * first time, or moved from another version. Setting an alias to the version it already points to publishes nothing.
 *
 * @param version         the version number as text, as MLflow's API has it
 * @param previousVersion the version it pointed to before; empty when the alias is new
 */
public record RegisteredModelAliasSet(
        @JsonProperty("name") String name,
        @JsonProperty("alias") String alias,
        @JsonProperty("version") String version,
        @JsonProperty("previous_version") String previousVersion) {

    public static final String TYPE = "io.quarkflow.registered-model.alias-set";
}
