package io.quarkflow.sample.json.bad;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkflow.sample.json.bad.events.Happened;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** Binds JSON by hand: a class literal, a TypeReference, an event contract and a consumed payload. */
public class StoredJson {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Envelope<Inner>> ENVELOPE = new TypeReference<>() {
    };

    public record Stored(String text) {
    }

    public record Envelope<T>(T data) {
    }

    public record Inner(String text) {
    }

    public record Consumed(String text) {
    }

    Stored read(String json) throws JsonProcessingException {
        JSON.readValue(json, ENVELOPE);
        return JSON.readValue(json, Stored.class);
    }

    Happened happened() {
        return new Happened(Holder.Nested.class.getName());
    }

    @Incoming("in")
    void consume(Consumed consumed) {
    }
}
