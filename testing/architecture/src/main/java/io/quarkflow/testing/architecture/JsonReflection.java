package io.quarkflow.testing.architecture;

import com.tngtech.archunit.core.domain.JavaAnnotation;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaConstructorCall;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaMethod;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.domain.JavaParameter;
import com.tngtech.archunit.core.domain.JavaType;
import com.tngtech.archunit.core.domain.ReferencedClassObject;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.stream.Collectors;

/**
 * Native-ready by test: every Quarkflow class that Jackson reads or writes in a service must be registered for
 * reflection with {@code @RegisterForReflection} (on itself, on a class that encloses it, or in the {@code targets} or
 * {@code classNames} of one), or a native image cannot construct or fill it and the request fails only there.
 * <p>
 * The classes are found by evidence in the service's bytecode and the Quarkflow modules it uses:
 * <ul>
 *   <li>the body parameter and the return type of every JAX-RS method (resources and REST clients), generic
 *       arguments included ({@code Uni<GetRunResponse>});</li>
 *   <li>the parameters and return types of {@code @Incoming}/{@code @Outgoing} methods;</li>
 *   <li>in a class that calls Jackson's data binding (ObjectMapper, ObjectReader/Writer, Vert.x's mapTo/mapFrom), the
 *       classes it names with a class literal ({@code readValue(json, WorkflowSpec.class)}) and the type arguments
 *       of its {@code TypeReference}s;</li>
 *   <li>records constructed in a method that builds a {@code Response}/{@code RestResponse} entity, which the
 *       signature types only as {@code Response};</li>
 *   <li>every event contract (a record of {@code io.quarkflow.events}) the code uses: the outbox writes them and
 *       consumers read them with a plain ObjectMapper;</li>
 *   <li>and, from each of those, the types of its fields (a record's components), recursively.</li>
 * </ul>
 * Explicit registration is required even for a type Quarkus REST registers on its own from a resource signature:
 * the same records also travel through hand-held ObjectMappers, Object-typed entities and events, where nothing
 * registers them, and one rule that does not depend on which extension registers what is one that holds. Configuration
 * interfaces ({@code @ConfigMapping}) are not Jackson's: Quarkus generates and registers their implementations.
 * Only annotations Quarkus sees count: in the service itself or in a module with a Jandex index
 * ({@code META-INF/beans.xml} or {@code META-INF/jandex.idx}).
 */
public final class JsonReflection {

    private static final String REGISTER = "io.quarkus.runtime.annotations.RegisterForReflection";
    private static final String OWN = "io.quarkflow.";
    private static final String TESTING = "io.quarkflow.testing.";
    private static final String EVENTS = "io.quarkflow.events.";
    private static final Set<String> HTTP_METHODS = Set.of("GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS")
            .stream().map(name -> "jakarta.ws.rs." + name).collect(Collectors.toSet());
    private static final Set<String> MESSAGING = Set.of("org.eclipse.microprofile.reactive.messaging.Incoming",
            "org.eclipse.microprofile.reactive.messaging.Outgoing");
    /** Parameters annotated from these packages are taken from the URI, headers or context, not from the body. */
    private static final List<String> NOT_BODY = List.of("jakarta.ws.rs.", "org.jboss.resteasy.reactive.");
    private static final Set<String> JSON_BINDERS = Set.of("com.fasterxml.jackson.databind.ObjectMapper",
            "com.fasterxml.jackson.databind.ObjectReader", "com.fasterxml.jackson.databind.ObjectWriter",
            "com.fasterxml.jackson.databind.json.JsonMapper", "io.vertx.core.json.JsonObject",
            "io.vertx.core.json.Json");
    private static final Set<String> BINDING_METHODS = Set.of("readValue", "readValues", "treeToValue", "convertValue",
            "valueToTree", "writeValue", "writeValueAsString", "writeValueAsBytes", "readerFor", "writerFor", "forType",
            "mapTo", "mapFrom", "decodeValue");
    private static final String TYPE_REFERENCE = "com.fasterxml.jackson.core.type.TypeReference";
    private static final Set<String> ENTITY_BUILDERS = Set.of("jakarta.ws.rs.core.Response",
            "jakarta.ws.rs.core.Response$ResponseBuilder", "org.jboss.resteasy.reactive.RestResponse",
            "org.jboss.resteasy.reactive.RestResponse$ResponseBuilder");
    private static final Set<String> ENTITY_METHODS = Set.of("ok", "entity", "accepted", "fromResponse");

    private JsonReflection() {
    }

    /**
     * Checks the service under {@code rootPackage} with the Quarkflow modules on its class path; fails naming every
     * class bound to JSON without a registration, and why it counts as bound.
     */
    public static void verify(String rootPackage) {
        JavaClasses classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.quarkflow");
        if (classes.stream().noneMatch(javaClass -> javaClass.getPackageName().startsWith(rootPackage))) {
            throw new AssertionError("no production classes found under " + rootPackage);
        }
        List<String> unregistered = unregistered(classes, rootPackage, EVENTS);
        if (!unregistered.isEmpty()) {
            throw new AssertionError(unregistered.size() + " classes are read or written as JSON but not registered "
                    + "for reflection (add them to a @RegisterForReflection(targets = ...) class of " + rootPackage
                    + ", or annotate them):\n  " + String.join("\n  ", unregistered));
        }
    }

    /** One line per unregistered class: its name and the evidence that Jackson binds it. */
    static List<String> unregistered(JavaClasses classes, String rootPackage, String eventsPackage) {
        Map<JavaClass, String> bound = boundToJson(classes, eventsPackage);
        Set<String> registered = registered(classes, rootPackage);
        List<String> missing = new ArrayList<>();
        bound.forEach((javaClass, why) -> {
            if (!registered.contains(javaClass.getName())) {
                missing.add(javaClass.getName() + " (" + why + ")");
            }
        });
        missing.sort(null);
        return missing;
    }

    /** Every own class Jackson binds, each with the first evidence found for it. */
    static Map<JavaClass, String> boundToJson(JavaClasses classes, String eventsPackage) {
        Map<JavaClass, String> bound = new LinkedHashMap<>();
        for (JavaClass javaClass : classes) {
            if (javaClass.getName().startsWith(TESTING)) {
                continue;
            }
            for (JavaMethod method : javaClass.getMethods()) {
                boolean http = HTTP_METHODS.stream().anyMatch(method::isAnnotatedWith);
                boolean messaging = MESSAGING.stream().anyMatch(method::isAnnotatedWith);
                if (http || messaging) {
                    String where = javaClass.getSimpleName() + "." + method.getName() + "()";
                    addAll(bound, method.getReturnType(), "returned by " + where);
                    for (JavaParameter parameter : method.getParameters()) {
                        if (messaging || isBody(parameter)) {
                            addAll(bound, parameter.getType(), "the body read by " + where);
                        }
                    }
                }
            }
            if (callsJsonBinding(javaClass)) {
                for (ReferencedClassObject literal : javaClass.getReferencedClassObjects()) {
                    JavaClass named = literal.getRawType();
                    if (!named.equals(javaClass) && !named.equals(javaClass.getEnclosingClass().orElse(null))) {
                        add(bound, named, "named by " + javaClass.getSimpleName() + ", which binds JSON with Jackson");
                    }
                }
            }
            if (isTypeReference(javaClass)) {
                JavaClass user = javaClass.getEnclosingClass().orElse(javaClass);
                addAll(bound, javaClass.getSuperclass().orElseThrow(), "a TypeReference in " + user.getSimpleName());
            }
            for (JavaCodeUnit codeUnit : javaClass.getCodeUnits()) {
                if (buildsResponseEntity(codeUnit)) {
                    for (JavaConstructorCall call : codeUnit.getConstructorCallsFromSelf()) {
                        add(bound, call.getTargetOwner(), "a response entity built in " + javaClass.getSimpleName()
                                + "." + codeUnit.getName() + "()");
                    }
                }
            }
            if (!javaClass.getName().startsWith(eventsPackage)) {
                javaClass.getDirectDependenciesFromSelf().stream()
                        .map(dependency -> dependency.getTargetClass().getBaseComponentType())
                        .filter(target -> target.getName().startsWith(eventsPackage) && target.isRecord())
                        .forEach(event -> add(bound, event, "an event contract used by " + javaClass.getSimpleName()));
            }
        }
        addFieldTypes(bound);
        return bound;
    }

    /** The classes Quarkus registers for reflection from the @RegisterForReflection annotations it sees. */
    static Set<String> registered(JavaClasses classes, String rootPackage) {
        Set<String> registered = new HashSet<>();
        for (JavaClass javaClass : classes) {
            if (!javaClass.isAnnotatedWith(REGISTER) || !indexedByQuarkus(javaClass, rootPackage)) {
                continue;
            }
            JavaAnnotation<JavaClass> annotation = javaClass.getAnnotationOfType(REGISTER);
            boolean nested = !(Boolean) annotation.get("ignoreNested").orElse(false);
            JavaClass[] targets = (JavaClass[]) annotation.get("targets").orElse(new JavaClass[0]);
            String[] names = (String[]) annotation.get("classNames").orElse(new String[0]);
            List<String> named = new ArrayList<>();
            for (JavaClass target : targets) {
                named.add(target.getName());
            }
            named.addAll(List.of(names));
            if (named.isEmpty()) {
                named.add(javaClass.getName());
            }
            for (String name : named) {
                registered.add(name);
                if (nested) {
                    classes.stream().filter(member -> member.getName().startsWith(name + "$"))
                            .forEach(member -> registered.add(member.getName()));
                }
            }
        }
        return registered;
    }

    private static boolean isBody(JavaParameter parameter) {
        return parameter.getAnnotations().stream()
                .map(annotation -> annotation.getRawType().getName())
                .noneMatch(name -> NOT_BODY.stream().anyMatch(name::startsWith));
    }

    private static boolean callsJsonBinding(JavaClass javaClass) {
        for (JavaMethodCall call : javaClass.getMethodCallsFromSelf()) {
            if (JSON_BINDERS.contains(call.getTargetOwner().getName()) && BINDING_METHODS.contains(call.getName())) {
                return true;
            }
        }
        return false;
    }

    private static boolean isTypeReference(JavaClass javaClass) {
        return javaClass.getRawSuperclass().map(superclass -> superclass.getName().equals(TYPE_REFERENCE))
                .orElse(false);
    }

    private static boolean buildsResponseEntity(JavaCodeUnit codeUnit) {
        for (JavaMethodCall call : codeUnit.getMethodCallsFromSelf()) {
            if (ENTITY_BUILDERS.contains(call.getTargetOwner().getName()) && ENTITY_METHODS.contains(call.getName())
                    && !call.getTarget().getRawParameterTypes().isEmpty()) {
                return true;
            }
        }
        return false;
    }

    /** The own classes a type involves (its raw type, generic arguments, array components), as JSON-bound. */
    private static void addAll(Map<JavaClass, String> bound, JavaType type, String why) {
        for (JavaClass involved : type.getAllInvolvedRawTypes()) {
            add(bound, involved, why);
        }
    }

    private static void add(Map<JavaClass, String> bound, JavaClass javaClass, String why) {
        JavaClass base = javaClass.getBaseComponentType();
        if (base.getName().startsWith(OWN) && !base.getName().startsWith(TESTING) && !base.isInterface()
                && !base.getModifiers().contains(JavaModifier.ABSTRACT) && !base.isAnonymousClass()) {
            bound.putIfAbsent(base, why);
        }
    }

    /** Jackson fills and writes a bound class's fields (a record's components): their types are bound too. */
    private static void addFieldTypes(Map<JavaClass, String> bound) {
        Deque<JavaClass> pending = new ArrayDeque<>(bound.keySet());
        while (!pending.isEmpty()) {
            JavaClass owner = pending.pop();
            for (JavaField field : owner.getFields()) {
                if (field.getModifiers().contains(JavaModifier.STATIC)
                        || field.getModifiers().contains(JavaModifier.TRANSIENT)) {
                    continue;
                }
                for (JavaClass involved : field.getType().getAllInvolvedRawTypes()) {
                    int before = bound.size();
                    add(bound, involved, "the field " + owner.getSimpleName() + "." + field.getName());
                    if (bound.size() > before) {
                        pending.push(involved.getBaseComponentType());
                    }
                }
            }
        }
    }

    /**
     * Quarkus reads @RegisterForReflection only from indexed classes: the application's own, and those of modules
     * with a Jandex index.
     */
    private static boolean indexedByQuarkus(JavaClass javaClass, String rootPackage) {
        if (javaClass.getPackageName().startsWith(rootPackage)) {
            return true;
        }
        URI uri = javaClass.getSource().orElseThrow().getUri();
        String location = uri.toString();
        String classFile = javaClass.getName().replace('.', '/') + ".class";
        try {
            if (location.startsWith("jar:")) {
                String jar = location.substring("jar:".length(), location.indexOf("!/"));
                try (JarFile file = new JarFile(Path.of(URI.create(jar)).toFile())) {
                    return file.getEntry("META-INF/beans.xml") != null || file.getEntry("META-INF/jandex.idx") != null;
                }
            }
            Path root = Path.of(URI.create(location.substring(0, location.length() - classFile.length())));
            return Files.exists(root.resolve("META-INF/beans.xml"))
                    || Files.exists(root.resolve("META-INF/jandex.idx"));
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("cannot tell whether Quarkus indexes " + location, e);
        }
    }
}
