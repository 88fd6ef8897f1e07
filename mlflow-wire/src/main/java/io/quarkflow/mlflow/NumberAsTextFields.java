package io.quarkflow.mlflow;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.BeanProperty;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.deser.ContextualDeserializer;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;

import java.io.IOException;
import java.util.Set;

/**
 * Protobuf JSON takes an enum by its name or its number ({"status": 3} is FINISHED). Our messages hold MLflow's
 * enum fields as strings, which take no numbers otherwise (see {@link JsonConfig}); these fields take both, a number
 * as its decimal text, for the services to resolve. Every other string is read by Jackson's own deserializer.
 */
final class EnumFields extends StdScalarDeserializer<String> implements ContextualDeserializer {

    /** MLflow's request fields of an enum type (service.proto, model_registry.proto). */
    static final Set<String> NAMES = Set.of("status", "view_type", "run_view_type", "stage");

    private final boolean enumField;

    EnumFields() {
        this(false);
    }

    private EnumFields(boolean enumField) {
        super(String.class);
        this.enumField = enumField;
    }

    @Override
    public JsonDeserializer<?> createContextual(DeserializationContext context, BeanProperty property) {
        boolean named = property != null && NAMES.contains(property.getName());
        return named == enumField ? this : new EnumFields(named);
    }

    @Override
    public String deserialize(JsonParser parser, DeserializationContext context) throws IOException {
        if (enumField && parser.hasToken(JsonToken.VALUE_NUMBER_INT)) {
            return parser.getText();
        }
        return StringDeserializer.instance.deserialize(parser, context);
    }
}
