package io.quarkflow.mlflow;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.BeanProperty;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.deser.ContextualDeserializer;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;

import java.io.IOException;
import java.util.Set;

/**
 * The string fields that MLflow's server also takes as numbers, as their decimal text: enums, which protobuf JSON
 * takes by name or number ({"status": 3} is FINISHED), and experiment ids, which MLflow stringifies before parsing
 * (mlflow/utils/proto_json_utils.py, _stringify_all_experiment_ids). Every other string field takes no number
 * (see {@link JsonConfig}) and is read by Jackson's own deserializer. No string may contain a NUL character.
 */
final class NumberAsTextFields extends StdScalarDeserializer<String> implements ContextualDeserializer {

    /** MLflow's request fields of an enum type (service.proto, model_registry.proto), and its experiment ids. */
    static final Set<String> NAMES = Set.of("status", "view_type", "run_view_type", "stage", "experiment_id",
            "experiment_ids");

    /** The refusal of a string with a NUL character; {@link ErrorMapper} names the field. */
    static final String NUL = "contains a NUL character";

    private final boolean takesNumbers;

    NumberAsTextFields() {
        this(false);
    }

    private NumberAsTextFields(boolean takesNumbers) {
        super(String.class);
        this.takesNumbers = takesNumbers;
    }

    /** Called for each field (for a list's items, with the list's field), so the name decides. */
    @Override
    public JsonDeserializer<?> createContextual(DeserializationContext context, BeanProperty property) {
        boolean named = property != null && NAMES.contains(property.getName());
        return named == takesNumbers ? this : new NumberAsTextFields(named);
    }

    @Override
    public String deserialize(JsonParser parser, DeserializationContext context) throws IOException {
        if (takesNumbers && parser.hasToken(JsonToken.VALUE_NUMBER_INT)) {
            return parser.getText();
        }
        String value = StringDeserializer.instance.deserialize(parser, context);
        if (value != null && value.indexOf('\u0000') >= 0) {
            // PostgreSQL stores no NUL in text, and no MLflow client sends one on purpose.
            throw JsonMappingException.from(parser, NUL);
        }
        return value;
    }
}
