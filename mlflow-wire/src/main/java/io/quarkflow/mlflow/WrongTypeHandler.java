package io.quarkflow.mlflow;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.deser.DeserializationProblemHandler;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;

import java.io.IOException;

/**
 * A JSON value of the wrong shape for its field (a list or an object where a string or number belongs) fails
 * with the value itself, read while the parser still stands on it, so that {@link ErrorMapper} can quote it as
 * MLflow does; Jackson's own failure names only the expected type.
 */
final class WrongTypeHandler extends DeserializationProblemHandler {

    @Override
    public Object handleUnexpectedToken(DeserializationContext context, JavaType targetType, JsonToken token,
                                        JsonParser parser, String failureMessage) throws IOException {
        if (token == null) {
            return NOT_HANDLED;
        }
        Object value = context.readTree(parser);
        throw InvalidFormatException.from(parser, failureMessage, value, targetType.getRawClass());
    }
}
