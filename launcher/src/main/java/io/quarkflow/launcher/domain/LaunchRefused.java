package io.quarkflow.launcher.domain;

/**
 * A request that cannot be executed as given (a source the backend cannot fetch, a template that is no Job, an
 * environment this machine lacks): its run becomes FAILED with this message as the reason, and the request is
 * done. Unlike a failure of tracking-service or the API server, trying again would change nothing.
 */
public final class LaunchRefused extends RuntimeException {

    public LaunchRefused(String message) {
        super(message, null, false, false);
    }

    public LaunchRefused(String message, Throwable cause) {
        super(message, cause, false, false);
    }
}
