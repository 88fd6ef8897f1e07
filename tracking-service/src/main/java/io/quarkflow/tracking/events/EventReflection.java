package io.quarkflow.tracking.events;

import io.quarkflow.events.CloudEvent;
import io.quarkflow.events.LoggedModelCreated;
import io.quarkflow.events.LoggedModelDeleted;
import io.quarkflow.events.LoggedModelFinalized;
import io.quarkflow.events.ModelVersionCreated;
import io.quarkflow.events.ModelVersionDeleted;
import io.quarkflow.events.ModelVersionStageTransitioned;
import io.quarkflow.events.RegisteredModelAliasDeleted;
import io.quarkflow.events.RegisteredModelAliasSet;
import io.quarkflow.events.RegisteredModelCreated;
import io.quarkflow.events.RegisteredModelDeleted;
import io.quarkflow.events.RegisteredModelRenamed;
import io.quarkflow.events.RunCreated;
import io.quarkflow.events.RunDeleted;
import io.quarkflow.events.RunRestored;
import io.quarkflow.events.RunStatusChanged;
import io.quarkflow.events.RunTerminated;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** The event records Jackson serialises by reflection, for native images. */
@RegisterForReflection(targets = {CloudEvent.class, RunCreated.class, RunStatusChanged.class, RunTerminated.class,
    RunDeleted.class, RunRestored.class, LoggedModelCreated.class, LoggedModelFinalized.class, LoggedModelDeleted.class,
    RegisteredModelCreated.class, RegisteredModelRenamed.class, RegisteredModelDeleted.class,
    RegisteredModelAliasSet.class, RegisteredModelAliasDeleted.class, ModelVersionCreated.class,
    ModelVersionStageTransitioned.class, ModelVersionDeleted.class})
final class EventReflection {

    private EventReflection() {
    }
}
