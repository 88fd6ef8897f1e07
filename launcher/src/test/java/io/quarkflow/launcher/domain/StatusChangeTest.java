package io.quarkflow.launcher.domain;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StatusChangeTest {

    @Test
    void failureReasonsAreBoundedKeepingStartAndEnd() {
        String reason = "exit code 1" + "x".repeat(5000) + "the real error";
        String bounded = StatusChange.failed(reason).failureReason();
        assertTrue(bounded.length() <= StatusChange.MAX_REASON_LENGTH);
        assertTrue(bounded.startsWith("exit code 1"));
        assertTrue(bounded.endsWith("the real error"));
    }

    @Test
    void jobConditionsMapAsMlflowMapsThem() {
        assertEquals(RunStatus.FINISHED, observation(true, 0, true, false, List.of()).status().orElseThrow().status());
        assertEquals(RunStatus.RUNNING, observation(true, 1, false, false, List.of()).status().orElseThrow().status());
        assertTrue(observation(false, 0, false, false, List.of()).status().isEmpty(), "not started: still SCHEDULED");
        StatusChange failed = observation(true, 0, false, true, List.of(new JobObservation.ContainerObservation(
                "main", false, null, null, "OOMKilled", 137))).status().orElseThrow();
        assertEquals(RunStatus.FAILED, failed.status());
        assertTrue(failed.failureReason().contains("BackoffLimitExceeded"));
        assertTrue(failed.failureReason().contains("OOMKilled"));
    }

    @Test
    void aPodThatCannotPullItsImageFailsTheRun() {
        StatusChange change = observation(true, 1, false, false, List.of(new JobObservation.ContainerObservation(
                "main", false, "ImagePullBackOff", "Back-off pulling image \"nope\"", null, null))).status().orElseThrow();
        assertEquals(RunStatus.FAILED, change.status());
        assertTrue(change.failureReason().contains("ImagePullBackOff"));
    }

    @Test
    void aRunningContainerWithoutWaitingReasonMeansRunning() {
        assertEquals(RunStatus.RUNNING, observation(false, 0, false, false, List.of(
                new JobObservation.ContainerObservation("main", true, null, null, null, null)))
                .status().orElseThrow().status());
    }

    private static JobObservation observation(boolean started, int active, boolean complete, boolean failed,
                                              List<JobObservation.ContainerObservation> containers) {
        return new JobObservation("ns/job", started, active, complete, failed,
                failed ? "BackoffLimitExceeded: Job has reached the specified backoff limit" : null, containers);
    }
}
