package io.quarkflow.events;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/**
 * A model version was deleted for good, with its tags and the aliases that pointed to it; its number is never given
 * again.
 *
 * @param version     the version number as text
 * @param aliases     the aliases that pointed to it and went with it, sorted; empty when none did
 * @param deletedTime epoch milliseconds
 */
public record ModelVersionDeleted(
        @JsonProperty("name") String name,
        @JsonProperty("version") String version,
        @JsonProperty("aliases") List<String> aliases,
        @JsonProperty("deleted_time") long deletedTime) {

    public static final String TYPE = "io.quarkflow.model-version.deleted";
}
