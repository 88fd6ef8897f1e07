package io.quarkflow.gateway;

import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.SmallRyeConfigBuilderCustomizer;
import java.net.URI;
import java.net.URISyntaxException;

/**
 * A request target that is not a URI (a bad percent escape such as {@code run_id=%zz}, a character RFC 3986 does not
 * allow) is the gateway's to refuse, in MLflow's error JSON. Quarkus would refuse it first, with an empty 400, unless
 * its check is turned off by the system property {@code vertx.disableURIValidation}; that property is read when the
 * HTTP server is set up, so it is set here, as the configuration is built, which comes before. The gateway then makes
 * the same check itself ({@link #isValid}) before anything else, so no such target reaches a service.
 */
public class RequestTargets implements SmallRyeConfigBuilderCustomizer {

    @Override
    public void configBuilder(SmallRyeConfigBuilder builder) {
        System.setProperty("vertx.disableURIValidation", "true");
    }

    /** The check Quarkus makes: {@code new URI(target)} succeeds. */
    static boolean isValid(String target) {
        if (target == null) {
            return false;
        }
        try {
            new URI(target);
            return true;
        } catch (URISyntaxException e) {
            return false;
        }
    }
}
