package io.quarkflow.testing.kafka;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/**
 * A real Kafka broker for a module's tests, without Docker: one per test run when registered globally with
 * {@code @QuarkusTestResource(KafkaBrokerResource.class)}. It sets {@code kafka.bootstrap.servers}, and fills
 * test fields marked {@link InjectKafkaBroker}.
 */
public class KafkaBrokerResource implements QuarkusTestResourceLifecycleManager {

    private KafkaBroker broker;

    @Override
    public Map<String, String> start() {
        broker = KafkaBroker.onFreePorts().start();
        return Map.of("kafka.bootstrap.servers", broker.bootstrapServers());
    }

    @Override
    public void inject(TestInjector testInjector) {
        testInjector.injectIntoFields(broker, new TestInjector.AnnotatedAndMatchesType(InjectKafkaBroker.class, KafkaBroker.class));
    }

    @Override
    public void stop() {
        if (broker != null) {
            broker.close();
        }
    }
}
