package io.quarkflow.k8s;

import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.quarkflow.k8s.Rbac.Grant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The launcher's ServiceAccount may make exactly the Kubernetes API calls the launcher makes: each call it was seen
 * to make ({@link LauncherApiCalls}) is allowed by the rendered RBAC, and each verb on each resource (and resource
 * name) a bound rule grants is used by one of them, in the scope the rule grants it.
 */
class LauncherRbacTest {

    @ParameterizedTest
    @MethodSource("io.quarkflow.k8s.Overlays#all")
    void theLauncherMayDoExactlyWhatItDoes(String name) throws Exception {
        RenderedOverlay overlay = RenderedOverlay.of(name);
        Set<ApiCall> calls = LauncherApiCalls.record(overlay);
        Rbac rbac = Rbac.of(overlay, Overlays.NAMESPACE, "launcher");
        assertFalse(calls.isEmpty(), "the launcher was seen to call the API");
        assertTrue(calls.stream().anyMatch(call -> LauncherApiCalls.SUBMITTED_NAMESPACE.equals(call.namespace())),
                "a Job went into a namespace a submission named: " + calls);

        List<ApiCall> refused = calls.stream().filter(call -> !rbac.allows(call)).toList();
        assertEquals(List.of(), refused, name + ": calls the launcher makes that its RBAC refuses (granted: "
                + rbac.grants() + ")");

        List<String> unused = new ArrayList<>();
        for (Grant grant : rbac.grants()) {
            PolicyRule rule = grant.rule();
            List<String> names = rule.getResourceNames() == null || rule.getResourceNames().isEmpty()
                    ? Collections.singletonList(null) : rule.getResourceNames();
            for (String group : rule.getApiGroups()) {
                for (String resource : rule.getResources()) {
                    for (String verb : rule.getVerbs()) {
                        for (String resourceName : names) {
                            Grant one = grant.narrowed(group, resource, verb, resourceName);
                            if (calls.stream().noneMatch(one::allows)) {
                                unused.add(one.toString());
                            }
                        }
                    }
                }
            }
        }
        assertEquals(List.of(), unused, name + ": rights the launcher never uses (seen: " + calls + ")");
    }

    /** A wildcard grants what the launcher will never be seen to need, including resources added later. */
    @ParameterizedTest
    @MethodSource("io.quarkflow.k8s.Overlays#all")
    void noRoleUsesWildcards(String name) {
        RenderedOverlay overlay = RenderedOverlay.of(name);
        Stream.concat(overlay.all(ClusterRole.class).stream().flatMap(role -> role.getRules().stream()),
                        overlay.all(Role.class).stream().flatMap(role -> role.getRules().stream()))
                .forEach(rule -> Stream.of(rule.getApiGroups(), rule.getResources(), rule.getVerbs(),
                                Optional.ofNullable(rule.getResourceNames()).orElse(List.of()))
                        .forEach(values -> assertFalse(values.contains("*"), name + ": wildcard in " + rule)));
    }
}
