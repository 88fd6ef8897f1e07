package io.quarkflow.launcher.domain;

/**
 * A status a run should now have, with the human-readable reason for a failure (the run's
 * {@code quarkflow.project.failure} tag); the reason is null unless the status is FAILED.
 */
public record StatusChange(RunStatus status, String failureReason) {

    /** Longest failure tag this launcher writes; MLflow allows 8000 characters, people read far fewer. */
    public static final int MAX_REASON_LENGTH = 1000;

    public StatusChange {
        failureReason = failureReason == null ? null : bounded(failureReason);
    }

    public static StatusChange running() {
        return new StatusChange(RunStatus.RUNNING, null);
    }

    public static StatusChange finished() {
        return new StatusChange(RunStatus.FINISHED, null);
    }

    public static StatusChange killed() {
        return new StatusChange(RunStatus.KILLED, null);
    }

    public static StatusChange failed(String reason) {
        return new StatusChange(RunStatus.FAILED, reason);
    }

    /** Keeps the start, which says what failed, and the end, which usually says why; cuts the middle. */
    static String bounded(String text) {
        if (text.length() <= MAX_REASON_LENGTH) {
            return text;
        }
        String cut = "\n[...]\n";
        int head = MAX_REASON_LENGTH / 3;
        int tail = MAX_REASON_LENGTH - head - cut.length();
        return text.substring(0, head) + cut + text.substring(text.length() - tail);
    }
}
