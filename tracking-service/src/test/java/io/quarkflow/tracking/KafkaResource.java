package io.quarkflow.tracking;

import io.quarkflow.testing.kafka.KafkaBrokerResource;
import io.quarkus.test.common.QuarkusTestResource;

/** A real Kafka broker, started once for all test classes: the tracking-service publishes its run events there. */
@QuarkusTestResource(KafkaBrokerResource.class)
final class KafkaResource {

    private KafkaResource() {
    }
}
