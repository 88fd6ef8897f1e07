package io.quarkflow.sample.json.bad;

import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;

import java.util.Map;

/** Breaks the rule once per kind of evidence; {@code Registered} and its holder are the registered controls. */
@Path("/reply")
public class ReplyResource {

    @RegisterForReflection
    public record Reply(Map<String, Part> parts) {
    }

    /** Reached only as a member of Reply. */
    public record Part(String text) {
    }

    public record Body(String text) {
    }

    public record Problem(String message) {
    }

    @POST
    public Reply reply(Body body) {
        return null;
    }

    /** The signature says Response: the entity is found where it is built. */
    @GET
    public Response fail() {
        return Response.status(400).entity(new Problem("no")).build();
    }
}
