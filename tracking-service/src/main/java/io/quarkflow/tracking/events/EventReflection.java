package io.quarkflow.tracking.events;

import io.quarkflow.events.CloudEvent;
import io.quarkflow.events.LoggedModelCreated;
import io.quarkflow.events.LoggedModelDeleted;
import io.quarkflow.events.LoggedModelFinalized;
import io.quarkflow.events.RunCreated;
import io.quarkflow.events.RunDeleted;
import io.quarkflow.events.RunRestored;
import io.quarkflow.events.RunStatusChanged;
import io.quarkflow.events.RunTerminated;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** The event records Jackson serialises by reflection, for native images. */
@RegisterForReflection(targets = {CloudEvent.class, RunCreated.class, RunStatusChanged.class, RunTerminated.class,
    RunDeleted.class, RunRestored.class, LoggedModelCreated.class, LoggedModelFinalized.class, LoggedModelDeleted.class})
final class EventReflection {

    private EventReflection() {
    }
}
