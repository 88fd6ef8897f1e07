package io.quarkflow.tracking.api;

import io.quarkflow.tracking.domain.ModelVersion;
import io.quarkflow.tracking.domain.ModelVersionTag;
import io.quarkflow.tracking.domain.RegisteredModel;
import io.quarkflow.tracking.domain.RegisteredModelTag;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.util.List;

/**
 * Request and response bodies of the model registry, named after MLflow's protobuf messages (model_registry.proto).
 * Version numbers travel as text, as on MLflow's wire. Registered with their nested records for native images.
 */
@RegisterForReflection
public final class RegistryMessages {

    private RegistryMessages() {
    }

    public record CreateRegisteredModel(String name, List<RegisteredModelTag> tags, String description) {
    }

    /** The body of registered-models/delete and of get-latest-versions. */
    public record RegisteredModelRequest(String name, List<String> stages) {
    }

    public record RenameRegisteredModel(String name, String newName) {
    }

    public record UpdateRegisteredModel(String name, String description) {
    }

    public record RegisteredModelResponse(RegisteredModel registeredModel) {
    }

    public record SearchRegisteredModelsResponse(List<RegisteredModel> registeredModels, String nextPageToken) {
    }

    public record SetRegisteredModelTag(String name, String key, String value) {
    }

    public record DeleteRegisteredModelTag(String name, String key) {
    }

    public record RegisteredModelAliasRequest(String name, String alias, String version) {
    }

    public record CreateModelVersion(String name, String source, String runId, List<ModelVersionTag> tags,
                                     String runLink, String description, String modelId) {
    }

    /** The body of model-versions/delete. */
    public record ModelVersionRequest(String name, String version) {
    }

    public record UpdateModelVersion(String name, String version, String description) {
    }

    public record TransitionModelVersionStage(String name, String version, String stage,
                                              Boolean archiveExistingVersions) {
    }

    public record ModelVersionResponse(ModelVersion modelVersion) {
    }

    public record ModelVersionsResponse(List<ModelVersion> modelVersions) {
    }

    public record SearchModelVersionsResponse(List<ModelVersion> modelVersions, String nextPageToken) {
    }

    public record SetModelVersionTag(String name, String version, String key, String value) {
    }

    public record DeleteModelVersionTag(String name, String version, String key) {
    }

    public record GetModelVersionDownloadUriResponse(String artifactUri) {
    }
}
