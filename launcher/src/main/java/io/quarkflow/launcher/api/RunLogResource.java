package io.quarkflow.launcher.api;

import io.quarkflow.launcher.service.RunLogService;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

/**
 * The internal log API that projects-service calls (the gateway does not route it): a run's output as plain text,
 * its last {@code tail} lines, followed while it runs with {@code follow=true}. Blocking only while it finds the
 * output (a file, or the Job's pod); the text itself streams.
 */
@Path("/api/2.0/quarkflow/launcher/runs/logs")
public class RunLogResource {

    private final RunLogService logs;

    public RunLogResource(RunLogService logs) {
        this.logs = logs;
    }

    @GET
    @Blocking
    @Produces(MediaType.TEXT_PLAIN)
    public Multi<String> logs(@QueryParam("run_id") String runId, @QueryParam("tail") Integer tail,
                              @QueryParam("follow") @DefaultValue("false") boolean follow) {
        return logs.logs(runId, tail, follow);
    }
}
