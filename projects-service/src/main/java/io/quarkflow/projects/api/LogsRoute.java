package io.quarkflow.projects.api;

import io.quarkflow.internal.key.InternalKey;
import io.quarkflow.mlflow.errors.MlflowException;
import io.quarkflow.projects.config.ProjectsConfig;
import io.quarkflow.projects.service.ProjectRunService;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * {@code GET /api/2.0/quarkflow/projects/runs/logs?run_id=&tail=&follow=}: the run's output as the launcher holds
 * it (a pod's log or a local process's output), streamed through as it comes, for as long as the launcher sends
 * it (with {@code follow=true}, until the run ends or the caller goes away).
 */
@ApplicationScoped
public class LogsRoute {

    static final String PATH = "/api/2.0/quarkflow/projects/runs/logs";
    private static final String LAUNCHER_PATH = "/api/2.0/quarkflow/launcher/runs/logs";

    private final ProjectRunService runs;
    private final URI launcher;
    private final HttpClient client;
    private final Optional<InternalKey> internalKey;

    public LogsRoute(ProjectRunService runs, ProjectsConfig config, Vertx vertx,
                     @ConfigProperty(name = InternalKey.PROPERTY) Optional<String> internalKey) {
        this.runs = runs;
        this.internalKey = InternalKey.of(internalKey);
        this.launcher = URI.create(config.launcherUrl());
        this.client = vertx.createHttpClient(new HttpClientOptions().setSsl("https".equals(launcher.getScheme())));
    }

    void register(@Observes Router router) {
        router.get(PATH).handler(this::logs);
    }

    private void logs(RoutingContext ctx) {
        String runId = ctx.queryParams().get("run_id");
        // Known here first: an unknown run is MLflow's 404 from this service, whatever the launcher holds.
        runs.requireKnown(runId).subscribe().with(known -> forward(ctx, runId), failure -> refuse(ctx, failure));
    }

    private void forward(RoutingContext ctx, String runId) {
        StringBuilder query = new StringBuilder("run_id=").append(encode(runId));
        for (String name : new String[] {"tail", "follow"}) {
            String value = ctx.queryParams().get(name);
            if (value != null) {
                query.append('&').append(name).append('=').append(encode(value));
            }
        }
        int port = launcher.getPort() != -1 ? launcher.getPort() : "https".equals(launcher.getScheme()) ? 443 : 80;
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setHost(launcher.getHost())
                .setPort(port).setURI(LAUNCHER_PATH + "?" + query);
        internalKey.ifPresent(key -> options.putHeader(InternalKey.HEADER, key.value()));
        client.request(options)
                .compose(request -> request.send())
                .onSuccess(answer -> {
                    ctx.response().setStatusCode(answer.statusCode()).setChunked(true);
                    String type = answer.getHeader(HttpHeaders.CONTENT_TYPE);
                    if (type != null) {
                        ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, type);
                    }
                    // The caller went away: stop reading a followed log.
                    ctx.response().closeHandler(closed -> answer.request().connection().close());
                    answer.pipeTo(ctx.response());
                })
                .onFailure(failure -> refuse(ctx, MlflowException.unavailable(
                        "The launcher cannot be reached: " + failure.getMessage())));
    }

    /** MLflow's error body, as the JAX-RS endpoints answer it. */
    private static void refuse(RoutingContext ctx, Throwable failure) {
        if (!(failure instanceof MlflowException error)) {
            ctx.fail(failure);
            return;
        }
        ctx.response().setStatusCode(error.errorCode().httpStatus())
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .end(new JsonObject().put("error_code", error.errorCode().name()).put("message", error.getMessage())
                        .encode());
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
