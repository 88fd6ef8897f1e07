package io.quarkflow.k8s;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.quarkflow.k8s.ContainerEnv.Value;
import io.quarkflow.k8s.RenderedOverlay.ServiceWorkload;
import io.quarkflow.k8s.RenderedOverlay.Workload;
import io.smallrye.config.ConfigValidationException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Each service is given what its production start needs. The @ConfigMapping interfaces say which properties have no
 * default ({@link ServiceConfig} builds the configuration as the service would); the rest are settings the code
 * declares optional but refuses to start without, or that only make sense when they agree between services.
 */
class StartConfigurationTest {

    private static final String OVERLAYS = "io.quarkflow.k8s.Overlays#all";
    private static final String INTERNAL_KEY = "QUARKFLOW_INTERNAL_KEY";
    /** Names of variables that hold credentials (not a file's path), which belong in Secrets, never in a manifest. */
    private static final Pattern CREDENTIAL = Pattern.compile(
            "(?!.*_FILE$).*(PASSWORD|SECRET|ACCESS_KEY|_TOKEN|TOKEN_KEY|SESSION_KEY|INTERNAL_KEY).*");

    @ParameterizedTest
    @MethodSource(OVERLAYS)
    void everyRequiredPropertyOfEveryServiceIsSet(String name) {
        RenderedOverlay overlay = RenderedOverlay.of(name);
        List<String> problems = new ArrayList<>();
        for (ServiceWorkload service : overlay.services()) {
            try {
                ServiceConfig.of(service.module(), env(overlay, service).asMap());
            } catch (ConfigValidationException e) {
                for (int i = 0; i < e.getProblemCount(); i++) {
                    problems.add(service.module() + ": " + e.getProblem(i).getMessage());
                }
            }
        }
        assertEquals(List.of(), problems, name + ": the services would not start");
    }

    /**
     * mlflow-wire's InternalCallersOnly and the gateway's SuiteCredential refuse a production start without the
     * key; the gateway sends it and the services compare it, so all must have the same one.
     */
    @ParameterizedTest
    @MethodSource(OVERLAYS)
    void everyServiceHasTheOneInternalKeyFromASecret(String name) {
        RenderedOverlay overlay = RenderedOverlay.of(name);
        Set<String> sources = new HashSet<>();
        for (ServiceWorkload service : overlay.services()) {
            Value key = env(overlay, service).get(INTERNAL_KEY)
                    .orElseGet(() -> fail(name + ": " + service.module() + " does not start without " + INTERNAL_KEY));
            assertTrue(key.fromSecret(), name + ": " + service.module() + " takes " + INTERNAL_KEY + " from "
                    + key.describe());
            sources.add(key.describe());
        }
        assertEquals(1, sources.size(), name + ": the services must share one internal key, they read " + sources);
    }

    @ParameterizedTest
    @MethodSource(OVERLAYS)
    void credentialsComeFromSecretsNeverFromTheManifests(String name) {
        List<String> literal = new ArrayList<>();
        for (Workload workload : RenderedOverlay.of(name).workloads()) {
            for (Container container : workload.containers()) {
                for (EnvVar env : Optional.ofNullable(container.getEnv()).orElse(List.of())) {
                    if (CREDENTIAL.matcher(env.getName()).matches() && (env.getValueFrom() == null
                            || env.getValueFrom().getSecretKeyRef() == null)) {
                        literal.add(workload + " " + env.getName());
                    }
                }
            }
        }
        RenderedOverlay.of(name).all(ConfigMap.class).forEach(map -> Optional.ofNullable(map.getData()).orElse(Map.of())
                .keySet().stream().filter(key -> CREDENTIAL.matcher(key).matches())
                .forEach(key -> literal.add("ConfigMap " + map.getMetadata().getName() + " " + key)));
        assertEquals(List.of(), literal, name + ": credentials outside Secrets");
    }

    /**
     * The gateway's Authenticator refuses to start with authentication on and no user, token or OIDC provider: its
     * users and tokens files must be keys of the Secret mounted where the variables say.
     */
    @ParameterizedTest
    @MethodSource(OVERLAYS)
    void theGatewayHasItsUsersAndTokensFromAMountedSecret(String name) {
        RenderedOverlay overlay = RenderedOverlay.of(name);
        ServiceWorkload gateway = overlay.service("gateway");
        ServiceConfig config = ServiceConfig.unvalidated("gateway", env(overlay, gateway).asMap());
        assertTrue(config.getBoolean("quarkflow.gateway.auth.enabled", true), name + ": authentication is on");
        for (String property : List.of("quarkflow.gateway.auth.users-file", "quarkflow.gateway.auth.tokens-file")) {
            Path file = Path.of(config.get(property).orElseGet(() -> fail(name + ": the gateway needs " + property)));
            VolumeMount mount = gateway.container().getVolumeMounts().stream()
                    .filter(candidate -> file.getParent().equals(Path.of(candidate.getMountPath())))
                    .findFirst().orElseGet(() -> fail(name + ": nothing is mounted at " + file.getParent()));
            Volume volume = volume(gateway.workload(), mount.getName());
            assertTrue(volume.getSecret() != null, name + ": " + file + " comes from a Secret");
            String secret = volume.getSecret().getSecretName();
            Set<String> keys = secretKeys(overlay, secret);
            assertTrue(keys.contains(file.getFileName().toString()), name + ": Secret " + secret + " has no key "
                    + file.getFileName() + " (it has " + keys + ")");
        }
    }

    /** The launcher mints the runs' tokens with the key the gateway verifies them with. */
    @ParameterizedTest
    @MethodSource(OVERLAYS)
    void theGatewayAndTheLauncherShareTheRunTokenKeyAndTheReplicasTheSessionKey(String name) {
        RenderedOverlay overlay = RenderedOverlay.of(name);
        Value verifies = env(overlay, overlay.service("gateway")).get("QUARKFLOW_GATEWAY_AUTH_RUN_TOKEN_KEY")
                .orElseGet(() -> fail(name + ": the gateway verifies no run token"));
        Value mints = env(overlay, overlay.service("launcher")).get("QUARKFLOW_LAUNCHER_RUN_TOKEN_KEY")
                .orElseGet(() -> fail(name + ": the launcher mints no run token"));
        assertTrue(verifies.fromSecret(), name + ": the run-token key comes from a Secret");
        assertEquals(verifies.describe(), mints.describe(), name + ": one run-token key for minting and verifying");
        Value session = env(overlay, overlay.service("gateway")).get("QUARKFLOW_GATEWAY_UI_SESSION_KEY")
                .orElseGet(() -> fail(name + ": without a session key each gateway replica signs its own cookies"));
        assertTrue(session.fromSecret(), name + ": the session key comes from a Secret");
    }

    /** ArtifactStorageProducer refuses to start on S3 without endpoint and bucket; storage refuses it without keys. */
    @ParameterizedTest
    @MethodSource(OVERLAYS)
    void artifactServiceHasItsBucketAndKeys(String name) {
        RenderedOverlay overlay = RenderedOverlay.of(name);
        ContainerEnv env = env(overlay, overlay.service("artifact-service"));
        ServiceConfig config = ServiceConfig.unvalidated("artifact-service", env.asMap());
        assertEquals("s3", config.get("quarkflow.artifact.backend", "local"),
                name + ": artifacts go to S3 in a cluster");
        for (String property : List.of("endpoint", "bucket", "region", "access-key", "secret-key")) {
            assertTrue(config.get("quarkflow.artifact.s3." + property).filter(value -> !value.isBlank()).isPresent(),
                    name + ": artifact-service needs quarkflow.artifact.s3." + property);
        }
        assertTrue(env.get("QUARKFLOW_ARTIFACT_S3_SECRET_KEY").map(Value::fromSecret).orElse(false), name);
    }

    /** application.properties' datasource credentials are the local suite's; in a cluster they come from a Secret. */
    @ParameterizedTest
    @MethodSource(OVERLAYS)
    void servicesWithADatabaseGetItsCredentialsFromASecret(String name) {
        RenderedOverlay overlay = RenderedOverlay.of(name);
        List<String> withDatabase = new ArrayList<>();
        for (ServiceWorkload service : overlay.services()) {
            if (!Repository.dependencies(Repository.module(service.module()), "io.quarkus")
                    .contains("quarkus-reactive-pg-client")) {
                continue;
            }
            withDatabase.add(service.module());
            ContainerEnv env = env(overlay, service);
            for (String variable : List.of("QUARKUS_DATASOURCE_USERNAME", "QUARKUS_DATASOURCE_PASSWORD")) {
                assertTrue(env.get(variable).map(Value::fromSecret).orElse(false),
                        name + ": " + service.module() + " " + variable + " from a Secret");
            }
        }
        assertEquals(Set.of("tracking-service", "projects-service"), Set.copyOf(withDatabase), name);
    }

    /** The launcher runs Jobs only with the kubernetes backend on, from the template mounted where it looks. */
    @ParameterizedTest
    @MethodSource(OVERLAYS)
    void theLauncherRunsJobsFromTheMountedTemplate(String name) {
        RenderedOverlay overlay = RenderedOverlay.of(name);
        ServiceWorkload launcher = overlay.service("launcher");
        ServiceConfig config = ServiceConfig.unvalidated("launcher", env(overlay, launcher).asMap());
        assertTrue(config.getBoolean("quarkflow.launcher.kubernetes.enabled", false), name + ": kubernetes backend");
        String template = LauncherApiCalls.jobTemplate(overlay, launcher, config);
        Object parsed = new KubernetesSerialization().unmarshal(template);
        assertInstanceOf(Job.class, parsed, name + ": the Job template is a batch/v1 Job");
    }

    static ContainerEnv env(RenderedOverlay overlay, ServiceWorkload service) {
        return ContainerEnv.of(overlay, service.workload().namespace(), service.container());
    }

    private static Volume volume(Workload workload, String name) {
        return workload.template().getSpec().getVolumes().stream().filter(volume -> volume.getName().equals(name))
                .findFirst().orElseThrow();
    }

    private static Set<String> secretKeys(RenderedOverlay overlay, String name) {
        Optional<Secret> rendered = overlay.secret(Overlays.NAMESPACE, name);
        if (rendered.isPresent()) {
            return Optional.ofNullable(rendered.get().getData()).orElse(Map.of()).keySet();
        }
        return overlay.expected.secret(name).map(secret -> Set.copyOf(secret.keys()))
                .orElseGet(() -> fail("Secret " + name + " is neither made nor expected"));
    }
}
