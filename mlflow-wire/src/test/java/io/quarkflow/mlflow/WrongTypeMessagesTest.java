package io.quarkflow.mlflow;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Fields of the wrong type are refused with MLflow's words; the expected messages are MLflow 3.3's server's. */
class WrongTypeMessagesTest {

    record Tag(String key, String value) {
    }

    record Request(String name, String artifactLocation, Long step, Double value, List<Tag> tags, String status,
                   String experimentId, List<String> experimentIds) {
    }

    private final ObjectMapper json = configured();
    private final ErrorMapper mapper = new ErrorMapper();

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            {"name": 123}                  | Invalid value 123 for parameter 'name' supplied:  Hint: Value was of type 'int'.
            {"artifact_location": 9.0}     | Invalid value 9.0 for parameter 'artifact_location' supplied:  Hint: Value was of type 'float'.
            {"tags": "5"}                  | Invalid value "5" for parameter 'tags' supplied:  Hint: Value was of type 'str'.
            {"step": "foo"}                | Invalid value "foo" for parameter 'step' supplied:  Hint: Value was of type 'str'.
            {"value": "abc"}               | Invalid value "abc" for parameter 'value' supplied:  Hint: Value was of type 'str'.
            {"name": [1, 2]}               | Invalid value [1,2] for parameter 'name' supplied:  Hint: Value was of type 'list'.
            {"name": {"b": 1, "a": 2}}     | Invalid value {"a":2,"b":1} for parameter 'name' supplied:  Hint: Value was of type 'dict'.
            {"name": true}                 | Invalid value true for parameter 'name' supplied:  Hint: Value was of type 'bool'.
            {"tags": [{"key": 7}]}         | Invalid value 7 for parameter 'tags[0].key' supplied:  Hint: Value was of type 'int'.
            """)
    void wrongTypesGetMlflowsMessage(String body, String expected) {
        Response response = mapper.json(assertThrows(JsonProcessingException.class,
                () -> json.readValue(body, Request.class)));
        assertEquals(400, response.getStatus());
        assertEquals(new ErrorResponse("INVALID_PARAMETER_VALUE",
                expected + " See the API docs for more information about request parameters."), response.getEntity());
    }

    @Test
    void aNulCharacterInAnyStringIsRefusedNamingTheField() {
        for (String body : List.of("{\"name\": \"a\\u0000b\"}", "{\"tags\": [{\"key\": \"k\", \"value\": \"\\u0000\"}]}",
                "{\"experiment_ids\": [\"1\", \"\\u0000\"]}")) {
            Response response = mapper.json(assertThrows(JsonProcessingException.class,
                    () -> json.readValue(body, Request.class), body));
            assertEquals(400, response.getStatus());
            ErrorResponse error = (ErrorResponse) response.getEntity();
            assertEquals("INVALID_PARAMETER_VALUE", error.errorCode());
            assertEquals(true, error.message().endsWith("in request body: it contains a NUL character"),
                    error.message());
        }
    }

    @Test
    void numericStringsStillCountForNumbersAsProtobufJsonHasIt() throws JsonProcessingException {
        assertEquals(3L, json.readValue("{\"step\": \"3\"}", Request.class).step());
    }

    @Test
    void enumFieldsTakeANameOrANumberButNothingElse() throws JsonProcessingException {
        assertEquals("3", json.readValue("{\"status\": 3}", Request.class).status());
        assertEquals("FINISHED", json.readValue("{\"status\": \"FINISHED\"}", Request.class).status());
        Response response = mapper.json(assertThrows(JsonProcessingException.class,
                () -> json.readValue("{\"status\": [3]}", Request.class)));
        assertEquals(new ErrorResponse("INVALID_PARAMETER_VALUE", "Invalid value [3] for parameter 'status' supplied:  "
                + "Hint: Value was of type 'list'. See the API docs for more information about request parameters."),
                response.getEntity());
    }

    @Test
    void experimentIdsTakeNumbersAsMlflowStringifiesThem() throws JsonProcessingException {
        Request request = json.readValue("{\"experiment_id\": 1, \"experiment_ids\": [1, \"2\"]}", Request.class);
        assertEquals("1", request.experimentId());
        assertEquals(List.of("1", "2"), request.experimentIds());
    }

    private static ObjectMapper configured() {
        ObjectMapper mapper = new ObjectMapper();
        new JsonConfig().customize(mapper);
        return mapper;
    }
}
