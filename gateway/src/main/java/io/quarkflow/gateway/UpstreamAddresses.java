package io.quarkflow.gateway;

import jakarta.inject.Singleton;
import java.net.URI;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.microprofile.config.Config;

/**
 * Where each service of the route table is, read once at start from the property its entry names (declared, with
 * its default, by {@link UpstreamProperties}); an address that is not an http:// URL with a host stops the start.
 */
@Singleton
public class UpstreamAddresses {

    private final Map<Upstream, URI> addresses;

    UpstreamAddresses(Config config) {
        Map<Upstream, URI> addresses = new LinkedHashMap<>();
        for (Route.Target target : Route.Target.values()) {
            target.upstream().ifPresent(upstream -> addresses.put(upstream,
                    address(upstream.urlProperty(), config.getValue(upstream.urlProperty(), String.class))));
        }
        this.addresses = Collections.unmodifiableMap(addresses);
    }

    /** Every service behind the gateway with its base URL, in table order. */
    Map<Upstream, URI> all() {
        return addresses;
    }

    URI of(Upstream upstream) {
        return addresses.get(upstream);
    }

    private static URI address(String property, String url) {
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
