package io.quarkflow.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smallrye.config.ConfigValidationException;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.net.URI;
import java.util.Map;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;

/**
 * Each service's address comes from the property its route-table entry names, with the entry's default, next to
 * GatewayConfig's check for unknown quarkflow.gateway.* properties; a wrong one stops the start, naming the property.
 */
class UpstreamAddressesTest {

    @Test
    void unsetAddressesAreTheServicesNamesInTheCluster() {
        UpstreamAddresses addresses = new UpstreamAddresses(config(Map.of()));
        assertEquals(URI.create("http://tracking-service:5000"), address(addresses, Route.Target.TRACKING));
        assertEquals(URI.create("http://artifact-service:5001"), address(addresses, Route.Target.ARTIFACTS));
        assertEquals(URI.create("http://projects-service:5003"), address(addresses, Route.Target.PROJECTS));
        assertEquals(3, addresses.all().size(), "every service of the table, and only those");
    }

    @Test
    void theNamedPropertiesAreKnownSettingsAndWin() {
        UpstreamAddresses addresses = new UpstreamAddresses(config(Map.of(
                "quarkflow.gateway.tracking-url", "http://127.0.0.1:6000",
                "quarkflow.gateway.artifact-url", "http://artifacts.internal")));
        assertEquals(URI.create("http://127.0.0.1:6000"), address(addresses, Route.Target.TRACKING));
        assertEquals(URI.create("http://artifacts.internal:80"), address(addresses, Route.Target.ARTIFACTS));
    }

    @Test
    void aWrongAddressStopsTheStartNamingItsProperty() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new UpstreamAddresses(config(Map.of("quarkflow.gateway.artifact-url", "https://a:1"))));
        assertEquals("quarkflow.gateway.artifact-url must be an http:// URL with a host, not https://a:1", e.getMessage());
        assertThrows(NoSuchElementException.class,
                () -> new UpstreamAddresses(config(Map.of("quarkflow.gateway.tracking-url", ""))));
    }

    @Test
    void anUnknownGatewayPropertyIsStillRefused() {
        ConfigValidationException e = assertThrows(ConfigValidationException.class,
                () -> config(Map.of("quarkflow.gateway.trackin-url", "http://a:1")));
        assertTrue(e.getMessage().contains("quarkflow.gateway.trackin-url"), e.getMessage());
    }

    private static URI address(UpstreamAddresses addresses, Route.Target target) {
        return addresses.of(target.upstream().orElseThrow());
    }

    private static SmallRyeConfig config(Map<String, String> properties) {
        SmallRyeConfigBuilder builder = new SmallRyeConfigBuilder()
                .addDiscoveredConverters() // Quarkus' own, for GatewayConfig's "5m"
                .withMapping(GatewayConfig.class)
                .withSources(new PropertiesConfigSource(properties, "test", 500));
        new UpstreamProperties().configBuilder(builder);
        return builder.build();
    }
}
