package io.quarkflow.projects.config;

import io.smallrye.config.ConfigMapping;

import java.nio.file.Path;
import java.time.Duration;

/** projects-service's settings (application.properties says what each is for). */
@ConfigMapping(prefix = "quarkflow.projects")
public interface ProjectsConfig {

    /** Whether a project may be a directory on this machine; only the local backend can run one. */
    boolean localDirectories();

    Path workDir();

    Duration gitTimeout();

    String launcherUrl();

    /** artifact-service, which serves the project archives uploaded through the artifact proxy. */
    String artifactUrl();

    /** The backend of a submission that names none. */
    String defaultBackend();

    /** How long a workflow step may take to start (fetch, create its run) before a sweep takes it up again. */
    Duration workflowStartTimeout();

    /** How often that sweep runs. */
    Duration workflowSweepInterval();
}
