package io.quarkflow.tracking.api;

import io.quarkflow.mlflow.errors.ErrorCode;
import io.quarkflow.mlflow.errors.MlflowException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** MLflow's /health and /version; /health also proves the database answers. */
@Path("/")
@Produces(MediaType.TEXT_PLAIN)
public class ServerResource {

    private final Pool pool;
    private final String version;

    public ServerResource(Pool pool, @ConfigProperty(name = "quarkus.application.version", defaultValue = "dev") String version) {
        this.pool = pool;
        this.version = version;
    }

    @GET
    @Path("health")
    public Uni<String> health() {
        return pool.query("select 1").execute()
                .replaceWith("OK")
                .onFailure().transform(e -> new MlflowException(ErrorCode.TEMPORARILY_UNAVAILABLE,
                        "Database unavailable: " + e.getMessage()));
    }

    @GET
    @Path("version")
    public String version() {
        return version;
    }
}
