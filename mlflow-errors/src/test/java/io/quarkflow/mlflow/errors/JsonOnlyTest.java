package io.quarkflow.mlflow.errors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class JsonOnlyTest {

    private static final String NOT_JSON = "Bad Request. Content-Type must be one of ['application/json'].";

    @Test
    void postsMustBeJsonWithAnyParameters() {
        assertNull(JsonOnly.problem("POST", "application/json"));
        assertNull(JsonOnly.problem("POST", "application/json; charset=utf-8"));
        assertNull(JsonOnly.problem("POST", " application/json;charset=\"utf-8\"; v=1 "));
        for (String type : new String[] {"text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
                "application/jsonx", "application/*", "*/*", "application/json-patch+json", "application/json ; x",
                "Application/JSON", "application/json ; charset=utf-8",
                "application/json; charset", "application/json; a=\"unterminated", "application/json, text/plain"}) {
            assertEquals(NOT_JSON, JsonOnly.problem("POST", type), type);
        }
        assertEquals("Bad Request. Content-Type header is missing.", JsonOnly.problem("POST", null));
        assertEquals("Bad Request. Content-Type header is missing.", JsonOnly.problem("POST", " "));
    }

    @Test
    void otherMethodsCarryAnyBody() {
        assertNull(JsonOnly.problem("PUT", "application/octet-stream"));
        assertNull(JsonOnly.problem("GET", null));
    }
}
