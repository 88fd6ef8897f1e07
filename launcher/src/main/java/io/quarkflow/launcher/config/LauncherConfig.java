package io.quarkflow.launcher.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Everything under {@code quarkflow.launcher}; application.properties says where each value comes from. */
@ConfigMapping(prefix = "quarkflow.launcher")
public interface LauncherConfig {

    /**
     * MLFLOW_TRACKING_URI as a run sees it (the gateway), and the base of archive downloads
     * ({@code <uri>/api/2.0/mlflow-artifacts/artifacts/...}).
     */
    @WithDefault("http://localhost:5000")
    String trackingUri();

    /**
     * MLFLOW_TRACKING_TOKEN given to every run and used for archive downloads; none when unset. One token shared by
     * all runs: prefer {@link #runTokenKey()}.
     */
    Optional<String> runToken();

    /**
     * Base64 of at least 32 random bytes ({@code openssl rand -base64 32}), the same as the gateway's
     * quarkflow.gateway.auth.run-token-key. When set, each run gets a token of its own (which may read everything and
     * change only that run) in place of {@link #runToken()} and {@link Kubernetes#tokenSecret()}. A key that is set
     * but not base64 of 32 bytes or more stops the launcher from starting.
     */
    Optional<String> runTokenKey();

    /**
     * How long a request whose execution fails for a passing reason (tracking-service or the API server away) is
     * tried again before the consumer gives up and reports itself unhealthy, so that it is restarted and the
     * request delivered again.
     */
    @WithDefault("5m")
    Duration retryFor();

    /**
     * How many requests and cancels may be in progress at once (different runs side by side; one run's always in
     * order). Beyond that the consumer takes no more records from Kafka until one ends.
     */
    @WithDefault("16")
    int concurrency();

    Local local();

    Kubernetes kubernetes();

    /** The embedded default: runs as child processes of the launcher. */
    interface Local {

        /** A directory per run ({@code <work-dir>/<run id>}): the fetched project, the venv and output.log. */
        @WithDefault("projects")
        String workDir();

        /** Between SIGTERM and SIGKILL when a run is cancelled. */
        @WithDefault("10s")
        Duration stopGrace();

        /** Fail the local runs a previous launcher process left RUNNING when this one starts. */
        @WithDefault("true")
        boolean reconcileAtStart();
    }

    interface Kubernetes {

        /** Off in the embedded default, which has no cluster; requests for the kubernetes backend then fail. */
        @WithDefault("false")
        boolean enabled();

        /**
         * The server's Job template (a path, e.g. a mounted ConfigMap) for requests without a
         * {@code kube-job-template}; MLflow's example template when unset.
         */
        Optional<String> jobTemplate();

        /** For Jobs whose backend_config and template name no namespace; the client's namespace when unset. */
        Optional<String> namespace();

        /**
         * The only namespaces the launcher creates and watches Jobs in: a request whose backend_config or template
         * names another fails. Each needs the launcher's Role and RoleBinding (k8s/base/85-launcher-rbac.yaml).
         * When unset, just the namespace of runs that name none: the server's template's (MLflow's example says
         * {@code mlflow}), else {@link #namespace()}, else the client's.
         */
        Optional<List<String>> namespaces();

        /** MLFLOW_TRACKING_URI as a pod sees it, when it differs from {@link LauncherConfig#trackingUri()}. */
        Optional<String> trackingUri();

        /** The image of projects without a docker_env: it needs /bin/sh, and Python for most projects. */
        @WithDefault("python:3.12-slim")
        String defaultImage();

        /** The init container that fetches the code: needs sh, git, and wget or curl, tar and unzip. */
        @WithDefault("alpine/git:2.47.2")
        String initImage();

        /**
         * A Secret holding the runs' shared token, given to pods as a secretKeyRef (preferred over run-token; ignored
         * when run-token-key is set).
         */
        TokenSecret tokenSecret();

        Lease lease();
    }

    interface TokenSecret {

        /** The Secret's name, in each Job's namespace; unset: the token (if any) is passed as a plain value. */
        Optional<String> name();

        @WithDefault("token")
        String key();
    }

    /** Leader election among launcher replicas: only the leader watches Jobs and writes their status. */
    interface Lease {

        @WithDefault("quarkflow-launcher")
        String name();

        /** The client's namespace when unset. */
        Optional<String> namespace();

        @WithDefault("15s")
        Duration duration();

        @WithDefault("10s")
        Duration renewDeadline();

        @WithDefault("2s")
        Duration retryPeriod();
    }
}
