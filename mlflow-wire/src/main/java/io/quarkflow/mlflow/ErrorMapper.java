package io.quarkflow.mlflow;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.quarkflow.mlflow.errors.ErrorCode;
import io.quarkflow.mlflow.errors.MlflowException;
import io.vertx.core.http.HttpClosedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** The one place where failures become MLflow's {"error_code", "message"} body and HTTP status. */
public class ErrorMapper {

    private static final Logger LOG = Logger.getLogger(ErrorMapper.class);

    @ServerExceptionMapper
    public Response mlflow(MlflowException e) {
        return response(e.errorCode(), e.errorCode().httpStatus(), e.getMessage());
    }

    /** Malformed JSON or a field of the wrong type; the message names the field, never a Java class. */
    @ServerExceptionMapper
    public Response json(JsonProcessingException e) {
        String message = "Invalid JSON in request body";
        if (e instanceof InvalidFormatException invalid && !invalid.getPath().isEmpty()) {
            message = InvalidValue.message(fieldPath(invalid), invalid.getValue());
        } else if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            message = "Invalid value for parameter '" + fieldPath(mapping) + "' in request body"
                    + (NumberAsTextFields.NUL.equals(mapping.getOriginalMessage()) ? ": it " + NumberAsTextFields.NUL
                    : "");
        } else if (e instanceof JsonParseException parse) {
            message += ": " + parse.getOriginalMessage();
        } else if (e instanceof MismatchedInputException) {
            message += ": expected a JSON object";
        }
        return response(ErrorCode.INVALID_PARAMETER_VALUE, 400, message);
    }

    /**
     * Wrong types and non-object bodies. Needed in its own right: quarkus-rest-jackson maps this subtype itself
     * (to a body without error_code, or an empty one), and the closest exception type wins over our mapper above.
     */
    @ServerExceptionMapper
    public Response mismatchedInput(MismatchedInputException e) {
        return json(e);
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        if (e.getCause() instanceof JsonProcessingException json) {
            return json(json);
        }
        int status = e.getResponse().getStatus();
        if (e instanceof NotFoundException) {
            return response(ErrorCode.ENDPOINT_NOT_FOUND, 404, "No endpoint for this path");
        }
        ErrorCode code = status >= 500 ? ErrorCode.INTERNAL_ERROR : ErrorCode.BAD_REQUEST;
        return response(code, status, e.getMessage());
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e) {
        if (clientLeft(e)) {
            // An upload the client cut short: nobody is left to answer, and nothing is wrong with the service.
            LOG.debugf("The client closed the connection: %s", e);
            return response(ErrorCode.BAD_REQUEST, 400, "The client closed the connection");
        }
        LOG.error("Unexpected failure", e);
        return response(ErrorCode.INTERNAL_ERROR, 500, "Internal error; see the service log");
    }

    private static boolean clientLeft(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof HttpClosedException) {
                return true;
            }
        }
        return false;
    }

    private static String fieldPath(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference reference : e.getPath()) {
            if (reference.getFieldName() != null) {
                path.append(path.isEmpty() ? "" : ".").append(reference.getFieldName());
            } else {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    private static Response response(ErrorCode code, int status, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new ErrorResponse(code.name(), message)).build();
    }
}
