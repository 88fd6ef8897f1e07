package io.quarkflow.gateway;

import io.quarkflow.mlflow.errors.ErrorCode;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.RequestOptions;
import jakarta.inject.Singleton;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** MLflow's GET /health for the whole suite: "OK" when every service is ready, else 503 naming who is not. */
@Singleton
public class ServiceHealth {

    private static final long TIMEOUT_MS = 3_000;

    /** A service and the path that answers 200 when it is ready. */
    record Check(String name, URI base, String path) {
    }

    private final Proxy proxy;
    private final List<Check> checks;

    ServiceHealth(Proxy proxy, Services services) {
        this.proxy = proxy;
        this.checks = List.of(
                new Check(Services.TRACKING_NAME, services.tracking(), "/health"),
                new Check(Services.ARTIFACTS_NAME, services.artifacts(), "/q/health/ready"));
    }

    public void respond(HttpServerRequest request) {
        List<Future<String>> problems = new ArrayList<>();
        for (Check check : checks) {
            problems.add(problem(check));
        }
        Future.join(problems).onComplete(all -> {
            String down = problems.stream()
                    .map(Future::result)
                    .filter(problem -> problem != null)
                    .collect(Collectors.joining("; "));
            if (down.isEmpty()) {
                request.response().putHeader("Content-Type", "text/plain; charset=utf-8");
                Errors.answerLocally(request, "OK");
            } else {
                Errors.send(request, ErrorCode.TEMPORARILY_UNAVAILABLE, down);
            }
        });
    }

    /** Null when the service is ready, else a short reason; never a failed future. */
    private Future<String> problem(Check check) {
        RequestOptions options = new RequestOptions()
                .setMethod(HttpMethod.GET)
                .setHost(check.base().getHost())
                .setPort(check.base().getPort())
                .setURI(check.path())
                .setTimeout(TIMEOUT_MS);
        return proxy.client().request(options)
                .compose(request -> request.send())
                .compose(response -> response.body().map(body -> response.statusCode()))
                .map(status -> status == 200 ? (String) null : check.name() + " is not ready (HTTP " + status + ")")
                .otherwise(cause -> check.name() + " is unreachable");
    }
}
