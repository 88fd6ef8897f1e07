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

    private final Proxy proxy;
    private final UpstreamAddresses addresses;

    ServiceHealth(Proxy proxy, UpstreamAddresses addresses) {
        this.proxy = proxy;
        this.addresses = addresses;
    }

    public void respond(HttpServerRequest request) {
        List<Future<String>> problems = new ArrayList<>();
        addresses.all().forEach((upstream, address) -> problems.add(problem(upstream, address)));
        Future.join(problems).onComplete(all -> {
            String down = problems.stream()
                    .map(Future::result)
                    .filter(problem -> problem != null)
                    .collect(Collectors.joining("; "));
            if (down.isEmpty()) {
                request.response().putHeader("Content-Type", "text/plain; charset=utf-8");
                LocalAnswer.send(request, "OK");
            } else {
                LocalAnswer.error(request, ErrorCode.TEMPORARILY_UNAVAILABLE, down);
            }
        });
    }

    /** Null when the service is ready, else a short reason; never a failed future. */
    private Future<String> problem(Upstream upstream, URI address) {
        RequestOptions options = new RequestOptions()
                .setMethod(HttpMethod.GET)
                .setHost(address.getHost())
                .setPort(address.getPort())
                .setURI(upstream.readinessPath())
                .setTimeout(TIMEOUT_MS);
        return proxy.client().request(options)
                .compose(request -> request.send())
                .compose(response -> response.body().map(body -> response.statusCode()))
                .map(status -> status == 200 ? (String) null : upstream.name() + " is not ready (HTTP " + status + ")")
                .otherwise(cause -> upstream.name() + " is unreachable");
    }
}
