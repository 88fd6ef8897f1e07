package io.quarkflow.tracking.domain;

import io.quarkflow.mlflow.errors.MlflowException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PageTokenTest {

    @Test
    void roundTripsAnOffsetInMlflowsEncoding() {
        String token = PageToken.encode(2000);
        assertEquals("{\"offset\": 2000}", new String(Base64.getDecoder().decode(token), StandardCharsets.UTF_8));
        assertEquals(2000, PageToken.decodeOffset(token));
        assertEquals(0, PageToken.decodeOffset(null));
    }

    @Test
    void rejectsTokensItDidNotMake() {
        assertThrows(MlflowException.class, () -> PageToken.decodeOffset("not base64!"));
        String negative = Base64.getEncoder().encodeToString("{\"offset\": -5}".getBytes(StandardCharsets.UTF_8));
        assertThrows(MlflowException.class, () -> PageToken.decodeOffset(negative));
    }
}
