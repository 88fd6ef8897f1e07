package io.quarkflow.launcher;

import io.quarkflow.testing.kafka.KafkaBrokerResource;
import io.quarkus.test.common.QuarkusTestResource;

/** A real Kafka broker for all test classes: the launcher consumes its project-run requests there. */
@QuarkusTestResource(KafkaBrokerResource.class)
final class KafkaResource {

    private KafkaResource() {
    }
}
