package io.quarkflow.gateway;

import jakarta.inject.Singleton;
import java.net.URI;

/** Where the services behind the gateway are, parsed once from the configuration. */
@Singleton
public class Services {

    static final String TRACKING_NAME = "tracking-service";
    static final String ARTIFACTS_NAME = "artifact-service";

    private final URI tracking;
    private final URI artifacts;

    Services(GatewayConfig config) {
        this.tracking = base("quarkflow.gateway.tracking-url", config.trackingUrl());
        this.artifacts = base("quarkflow.gateway.artifact-url", config.artifactUrl());
    }

    URI tracking() {
        return tracking;
    }

    URI artifacts() {
        return artifacts;
    }

    private static URI base(String property, String url) {
        URI uri = URI.create(url);
        if (!"http".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalStateException(property + " must be an http:// URL with a host, not " + url);
        }
        if (uri.getPort() < 0) {
            uri = URI.create("http://" + uri.getHost() + ":80");
        }
        return uri;
    }
}
