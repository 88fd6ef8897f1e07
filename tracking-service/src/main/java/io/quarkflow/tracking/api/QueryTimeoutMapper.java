package io.quarkflow.tracking.api;

import io.quarkflow.mlflow.ErrorMapper;
import io.quarkflow.mlflow.ErrorResponse;
import io.quarkflow.mlflow.errors.ErrorCode;
import io.vertx.pgclient.PgException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * A statement PostgreSQL cancelled at its statement_timeout (SQLSTATE 57014, see application.properties) is the
 * client's request costing too much, answered 503 as MLflow answers an overloaded server; every other database
 * failure stays an internal error.
 */
public class QueryTimeoutMapper {

    private static final String QUERY_CANCELED = "57014";

    private final ErrorMapper errors = new ErrorMapper();

    @ServerExceptionMapper
    public Response database(PgException e) {
        if (!QUERY_CANCELED.equals(e.getSqlState())) {
            return errors.unexpected(e);
        }
        return Response.status(503).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new ErrorResponse(ErrorCode.TEMPORARILY_UNAVAILABLE.name(), "The request took longer than "
                        + "the server's statement timeout and was stopped; narrow the search or retry later."))
                .build();
    }
}
