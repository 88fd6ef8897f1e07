package io.quarkflow.gateway;

import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.SmallRyeConfigBuilderCustomizer;

/**
 * Declares each service's address property to SmallRye Config, from its entry in {@link Route.Target}: its default,
 * and that it is a setting of the gateway, which {@link GatewayConfig}'s check for unknown quarkflow.gateway.*
 * properties would otherwise refuse. So a new service needs no accessor in GatewayConfig.
 */
public class UpstreamProperties implements SmallRyeConfigBuilderCustomizer {

    @Override
    public void configBuilder(SmallRyeConfigBuilder builder) {
        for (Route.Target target : Route.Target.values()) {
            target.upstream().ifPresent(upstream -> builder
                    .withDefaultValue(upstream.urlProperty(), upstream.defaultUrl())
                    .withMappingIgnore(upstream.urlProperty()));
        }
    }
}
