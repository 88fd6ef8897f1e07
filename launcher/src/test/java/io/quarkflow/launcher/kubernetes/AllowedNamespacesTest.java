package io.quarkflow.launcher.kubernetes;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Where the launcher may create Jobs: the configured list, else only where runs that name no namespace go. */
class AllowedNamespacesTest {

    @Test
    void theConfiguredNamespacesEachOnceInTheirOrder() {
        assertEquals(List.of("runs", "team-a"), KubernetesLauncher.allowedNamespaces(
                Optional.of(List.of("runs", "team-a", "runs")), () -> {
                    throw new AssertionError("the default is not needed when namespaces are configured");
                }));
    }

    @Test
    void unsetOnlyTheNamespaceOfRunsThatNameNone() {
        assertEquals(List.of("mlflow"), KubernetesLauncher.allowedNamespaces(Optional.empty(), () -> "mlflow"));
    }
}
