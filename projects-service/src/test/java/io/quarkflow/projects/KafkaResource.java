package io.quarkflow.projects;

import io.quarkflow.testing.kafka.KafkaBrokerResource;
import io.quarkus.test.common.QuarkusTestResource;

/** A real Kafka broker, started once for all test classes: requests go out on it, run events come in. */
@QuarkusTestResource(KafkaBrokerResource.class)
final class KafkaResource {

    private KafkaResource() {
    }
}
