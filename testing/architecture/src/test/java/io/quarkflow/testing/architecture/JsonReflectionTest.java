package io.quarkflow.testing.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The rule finds each kind of JSON-bound class, accepts each way of registering one, and names what is missing. */
class JsonReflectionTest {

    private static final String GOOD = "io.quarkflow.sample.json.good";
    private static final String BAD = "io.quarkflow.sample.json.bad";

    @Test
    void registeredThroughAnnotationHolderTargetsAndClassNamesPasses() {
        JavaClasses classes = new ClassFileImporter().importPackages(GOOD);
        assertEquals(List.of("AskResource$Ask", "AskResource$Item", "Messages$Detail", "Messages$Reply"),
                JsonReflection.boundToJson(classes, GOOD + ".events.").keySet().stream()
                        .map(javaClass -> javaClass.getName().substring(GOOD.length() + 1)).sorted().toList());
        assertEquals(List.of(), JsonReflection.unregistered(classes, GOOD, GOOD + ".events."));
    }

    @Test
    void everyKindOfEvidenceIsFoundAndNamed() {
        List<String> missing = JsonReflection.unregistered(new ClassFileImporter().importPackages(BAD), BAD,
                BAD + ".events.");
        assertEquals(List.of(
                "Holder$Nested (named by StoredJson, which binds JSON with Jackson)",
                "ReplyResource$Body (the body read by ReplyResource.reply())",
                "ReplyResource$Part (the field Reply.parts)",
                "ReplyResource$Problem (a response entity built in ReplyResource.fail())",
                "StoredJson$Consumed (the body read by StoredJson.consume())",
                "StoredJson$Envelope (a TypeReference in StoredJson)",
                "StoredJson$Inner (a TypeReference in StoredJson)",
                "StoredJson$Stored (named by StoredJson, which binds JSON with Jackson)",
                "events.Happened (an event contract used by StoredJson)"),
                missing.stream().map(line -> line.substring(BAD.length() + 1)).toList());
    }

    @Test
    void verifyRefusesAPackageWithNoClasses() {
        AssertionError error = assertThrows(AssertionError.class, () -> JsonReflection.verify("io.quarkflow.nothing"));
        assertTrue(error.getMessage().contains("no production classes"), error.getMessage());
    }
}
