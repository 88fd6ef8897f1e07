package io.quarkflow.testing.architecture;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.EvaluationResult;
import com.tngtech.archunit.lang.SimpleConditionEvent;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.fields;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The package rules of a Quarkflow service (../shared/STYLE.md): {@code domain} is plain Java, {@code api} never
 * reaches {@code store}, packages form no cycles, and event contracts (types and topic names) live only in the
 * {@code events} module. A service that lacks one of the packages passes that rule.
 */
public final class ServiceArchitecture {

    private static final String EVENTS_CONTRACTS = "io.quarkflow.events..";

    private ServiceArchitecture() {
    }

    /** Checks every rule on the production classes under the root package; fails with all violations at once. */
    public static void verify(String rootPackage) {
        JavaClasses classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
                .importPackages(rootPackage);
        if (classes.isEmpty()) {
            throw new AssertionError("no production classes found under " + rootPackage);
        }
        List<String> failures = new ArrayList<>();
        for (ArchRule rule : rules(rootPackage)) {
            EvaluationResult result = rule.evaluate(classes);
            if (result.hasViolation()) {
                failures.add(result.getFailureReport().toString());
            }
        }
        if (!failures.isEmpty()) {
            throw new AssertionError(String.join("\n\n", failures));
        }
    }

    static List<ArchRule> rules(String root) {
        return List.of(
                classes().that().resideInAPackage(root + ".domain..")
                        .should().onlyDependOnClassesThat(
                                resideInAnyPackage("java..", root + ".domain..", "io.quarkflow.mlflow.errors..")
                                        .and(not(resideInAnyPackage("java.sql.."))))
                        .as("domain is plain Java: it depends only on the JDK, its own domain and mlflow-errors "
                                + "(no Quarkus, Vert.x, Mutiny, JAX-RS, Jackson, JDBC or SDK)")
                        .allowEmptyShould(true),
                noClasses().that().resideInAPackage(root + ".api..")
                        .should().dependOnClassesThat().resideInAPackage(root + ".store..")
                        .as("api reaches storage only through service")
                        .allowEmptyShould(true),
                noClasses().that().resideInAnyPackage(root + ".domain..", root + ".store..")
                        .should().dependOnClassesThat().resideInAnyPackage(root + ".api..", root + ".service..")
                        .as("dependencies point one way: api -> service -> store/events -> domain")
                        .allowEmptyShould(true),
                slices().matching(root + ".(*)..").should().beFreeOfCycles()
                        .as("no cycles between the packages of " + root)
                        .allowEmptyShould(true),
                fields().that(areStringConstants()).should(notDeclareAnEventContract())
                        .as("event types and topic names are declared only in the events module")
                        .allowEmptyShould(true));
    }

    private static DescribedPredicate<JavaField> areStringConstants() {
        return new DescribedPredicate<>("are String constants") {
            @Override
            public boolean test(JavaField field) {
                return field.getModifiers().contains(JavaModifier.STATIC)
                        && field.getModifiers().contains(JavaModifier.FINAL)
                        && field.getRawType().isEquivalentTo(String.class);
            }
        };
    }

    /** A CloudEvents type (io.quarkflow.*) or a topic name (quarkflow.*) written outside the events module. */
    private static ArchCondition<JavaField> notDeclareAnEventContract() {
        return new ArchCondition<>("not hold a CloudEvents type or topic name") {
            @Override
            public void check(JavaField field, ConditionEvents events) {
                JavaClass owner = field.getOwner();
                if (owner.getPackageName().startsWith(EVENTS_CONTRACTS.replace("..", ""))) {
                    return;
                }
                String value = constantValue(field);
                boolean contract = value != null
                        && (value.matches("io\\.quarkflow\\.[a-z-]+\\.[a-z.-]+") || value.matches("quarkflow\\.[a-z-]+"));
                if (contract) {
                    events.add(SimpleConditionEvent.violated(field, field.getFullName() + " = \"" + value
                            + "\" belongs in io.quarkflow.events"));
                }
            }
        };
    }

    private static String constantValue(JavaField javaField) {
        try {
            Field field = javaField.reflect();
            if (!Modifier.isStatic(field.getModifiers())) {
                return null;
            }
            field.setAccessible(true);
            return (String) field.get(null);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return null;
        }
    }
}
