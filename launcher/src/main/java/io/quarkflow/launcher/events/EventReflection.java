package io.quarkflow.launcher.events;

import io.quarkflow.events.CloudEvent;
import io.quarkflow.events.ProjectRunCancel;
import io.quarkflow.events.ProjectRunRequest;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** The event records Jackson reads by reflection, for native images. */
@RegisterForReflection(targets = {CloudEvent.class, ProjectRunRequest.class, ProjectRunRequest.Source.class,
    ProjectRunRequest.Environment.class, ProjectRunCancel.class})
final class EventReflection {

    private EventReflection() {
    }
}
