package io.quarkflow.projects.api;

import io.quarkflow.events.CloudEvent;
import io.quarkflow.events.ProjectRunCancel;
import io.quarkflow.events.ProjectRunRequest;
import io.quarkflow.projects.domain.ProjectRun;
import io.quarkflow.projects.domain.SubmitProjectRun;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** Records Jackson reads or writes by reflection, for native images: the API's and the events' (Outbox writes them). */
@RegisterForReflection(targets = {SubmitProjectRun.class, ProjectRun.class, CloudEvent.class,
        ProjectRunRequest.class, ProjectRunRequest.Source.class, ProjectRunRequest.Environment.class,
        ProjectRunCancel.class})
final class NativeReflection {

    private NativeReflection() {
    }
}
