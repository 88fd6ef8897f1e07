package io.quarkflow.sample.json.good;

import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;

import java.util.List;
import java.util.concurrent.CompletionStage;

/** A resource whose body, answer and their members are all registered, each in a different way. */
@Path("/ask")
public class AskResource {

    public record Ask(List<Item> items) {
    }

    public record Item(String name) {
    }

    @POST
    public CompletionStage<Messages.Reply> ask(@HeaderParam("X-User") String user, @QueryParam("filter") Filter filter,
                                               Ask ask) {
        return null;
    }

    /** Taken from the query string, not from JSON: nothing to register. */
    public record Filter(String text) {
    }
}
