package io.quarkflow.launcher.kubernetes;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.quarkflow.events.ProjectRunRequest;
import io.quarkflow.launcher.domain.LaunchRefused;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where a run's Job template comes from: the request's backend_config {@code kube-job-template} (YAML text), else
 * the server's template file ({@code quarkflow.launcher.kubernetes.job-template}, e.g. a mounted ConfigMap, read
 * for each run so that an edited ConfigMap applies without a restart), else MLflow's example template, shipped
 * with the launcher.
 */
public final class JobTemplates {

    public static final String REQUEST_KEY = "kube-job-template";
    static final String BUILT_IN = "/kubernetes/job-template.yaml";

    private final Optional<Path> serverTemplate;
    private final KubernetesSerialization serialization;

    public JobTemplates(Optional<Path> serverTemplate, KubernetesSerialization serialization) {
        this.serverTemplate = serverTemplate;
        this.serialization = serialization;
    }

    /** Blocking when it reads the server's file. */
    public Job template(ProjectRunRequest request) {
        Object inline = request.backendConfig() == null ? null : request.backendConfig().get(REQUEST_KEY);
        if (inline != null) {
            if (!(inline instanceof String yaml)) {
                throw new LaunchRefused("backend_config " + REQUEST_KEY + " must be the Job template's YAML text");
            }
            return parse(yaml, "backend_config " + REQUEST_KEY);
        }
        return serversTemplate();
    }

    /** The template of runs whose request brings none. Blocking when it reads the server's file. */
    public Job serversTemplate() {
        if (serverTemplate.isPresent()) {
            try {
                return parse(Files.readString(serverTemplate.get()), serverTemplate.get().toString());
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read the Job template " + serverTemplate.get(), e);
            }
        }
        try (InputStream in = JobTemplates.class.getResourceAsStream(BUILT_IN)) {
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "the built-in template");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Job parse(String yaml, String origin) {
        Object parsed;
        try {
            parsed = serialization.unmarshal(yaml);
        } catch (RuntimeException e) {
            throw new LaunchRefused("The Job template in " + origin + " is not valid YAML: " + e.getMessage(), e);
        }
        if (!(parsed instanceof Job job)) {
            throw new LaunchRefused("The Job template in " + origin + " is not a batch/v1 Job");
        }
        return job;
    }
}
