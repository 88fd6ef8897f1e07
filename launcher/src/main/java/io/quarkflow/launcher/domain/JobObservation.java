package io.quarkflow.launcher.domain;

import java.util.List;
import java.util.Optional;

/**
 * What the API server says about a run's Job and its pods, reduced to what decides the run's status; the rules
 * below map it as MLflow's Kubernetes backend does, plus the failures MLflow never notices (a pod that can never
 * start, a container killed for memory).
 *
 * @param jobKey     {@code <namespace>/<name>}, for messages
 * @param started    the Job has a {@code status.startTime}
 * @param active     pods running or pending
 * @param complete   condition {@code Complete} is True
 * @param failed     condition {@code Failed} is True
 * @param failedWhy  the Failed condition's reason and message, when failed
 * @param containers the containers of the Job's pods (init containers included)
 */
public record JobObservation(String jobKey, boolean started, int active, boolean complete, boolean failed,
                             String failedWhy, List<ContainerObservation> containers) {

    /**
     * Waiting reasons after which a pod never starts by itself: the Job would wait until its deadline, so the run
     * fails at once and the Job is deleted.
     */
    public static final List<String> FATAL_WAITING_REASONS =
            List.of("ErrImagePull", "ImagePullBackOff", "InvalidImageName", "CreateContainerConfigError");

    /**
     * One container of one of the Job's pods.
     *
     * @param waitingReason    {@code state.waiting.reason}, or null
     * @param terminatedReason {@code state.terminated.reason} (or the last termination's), or null
     */
    public record ContainerObservation(String name, boolean running, String waitingReason, String waitingMessage,
                                       String terminatedReason, Integer exitCode) {
    }

    /** The status the run should have now; empty while the Job has not started. */
    public Optional<StatusChange> status() {
        if (complete) {
            return Optional.of(StatusChange.finished());
        }
        if (failed) {
            return Optional.of(StatusChange.failed("Job " + jobKey + " failed" + (failedWhy == null || failedWhy.isBlank()
                    ? "" : ": " + failedWhy) + oomKilled()));
        }
        Optional<StatusChange> fatal = fatalWaiting();
        if (fatal.isPresent()) {
            return fatal;
        }
        if (started || active > 0 || containers.stream().anyMatch(ContainerObservation::running)) {
            return Optional.of(StatusChange.running());
        }
        return Optional.empty();
    }

    /** A pod that cannot start: FAILED with the reason Kubernetes gives, after which the Job is deleted. */
    public Optional<StatusChange> fatalWaiting() {
        return containers.stream()
                .filter(container -> container.waitingReason() != null
                        && FATAL_WAITING_REASONS.contains(container.waitingReason()))
                .findFirst()
                .map(container -> StatusChange.failed("Job " + jobKey + ": container " + container.name()
                        + " cannot start: " + container.waitingReason()
                        + (container.waitingMessage() == null ? "" : ": " + container.waitingMessage())));
    }

    private String oomKilled() {
        return containers.stream()
                .filter(container -> "OOMKilled".equals(container.terminatedReason()))
                .findFirst()
                .map(container -> "; container " + container.name() + " was OOMKilled (out of memory"
                        + (container.exitCode() == null ? "" : ", exit code " + container.exitCode()) + ")")
                .orElse("");
    }
}
