package io.quarkflow.testing.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The rules catch what they are for, on sample packages made to break each one, and pass clean code. */
class ServiceArchitectureTest {

    @Test
    void cleanLayersPass() {
        assertEquals(List.of(), violated("io.quarkflow.sample.good"));
    }

    @Test
    void everyRuleCatchesItsBreach() {
        List<String> violated = violated("io.quarkflow.sample.bad");
        assertEquals(List.of(
                "domain is plain Java: it depends only on the JDK, its own domain and mlflow-errors "
                        + "(no Quarkus, Vert.x, Mutiny, JAX-RS, Jackson, JDBC or SDK)",
                "api reaches storage only through service",
                "dependencies point one way: api -> service -> store/events -> domain",
                "no cycles between the packages of io.quarkflow.sample.bad",
                "event types and topic names are declared only in the events module"), violated);
    }

    @Test
    void verifyRefusesAPackageWithNoClasses() {
        AssertionError error = assertThrows(AssertionError.class, () -> ServiceArchitecture.verify("io.quarkflow.nothing"));
        assertTrue(error.getMessage().contains("no production classes"), error.getMessage());
    }

    private static List<String> violated(String root) {
        JavaClasses classes = new ClassFileImporter().importPackages(root);
        return ServiceArchitecture.rules(root).stream()
                .filter(rule -> rule.evaluate(classes).hasViolation())
                .map(ArchRule::getDescription)
                .toList();
    }
}
