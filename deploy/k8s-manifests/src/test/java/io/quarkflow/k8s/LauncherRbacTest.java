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
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The launcher's ServiceAccount may make exactly the Kubernetes API calls the launcher makes: each call it was seen
 * to make ({@link LauncherApiCalls}) is allowed by the rendered RBAC, and each verb on each resource (and resource
 * name) a bound rule grants is used by one of them, in the namespace the rule grants it. Every call and every grant
 * is namespaced: Jobs go only into the namespaces the launcher is configured with, never into one a submission names.
 */
class LauncherRbacTest {

    @ParameterizedTest
    @MethodSource("io.quarkflow.k8s.Overlays#all")
    void theLauncherMayDoExactlyWhatItDoes(String name) throws Exception {
        RenderedOverlay overlay = RenderedOverlay.of(name);
        LauncherApiCalls.Recorded recorded = LauncherApiCalls.record(overlay);
        Set<ApiCall> calls = recorded.calls();
        Rbac rbac = Rbac.of(overlay, Overlays.NAMESPACE, "launcher");
        assertFalse(calls.isEmpty(), "the launcher was seen to call the API");
        assertEquals(Set.copyOf(recorded.jobNamespaces()), calls.stream()
                        .filter(call -> call.resource().equals("jobs") && call.verb().equals("create"))
                        .map(ApiCall::namespace).collect(Collectors.toSet()),
                name + ": Jobs went into each namespace the launcher may use, and only there");
        assertTrue(calls.stream().noneMatch(call -> LauncherApiCalls.SUBMITTED_NAMESPACE.equals(call.namespace())),
                name + ": a submission naming another namespace made no call there: " + calls);
        assertEquals(List.of(), calls.stream().filter(call -> call.namespace() == null).toList(),
                name + ": calls across all namespaces");
        assertEquals(List.of(), rbac.grants().stream().filter(grant -> grant.namespace() == null).toList(),
                name + ": rights granted cluster-wide");

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
