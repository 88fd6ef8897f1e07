package io.quarkflow.k8s;

import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleRef;
import io.fabric8.kubernetes.api.model.rbac.Subject;

import java.util.ArrayList;
import java.util.List;

/**
 * What the rendered RBAC objects grant one ServiceAccount, evaluated as the API server's RBAC authorizer does: a
 * ClusterRoleBinding grants its role's rules everywhere, a RoleBinding only in its own namespace; a rule allows a
 * request when its groups, resources and verbs all contain the request's, and its resourceNames (if any) the name.
 */
record Rbac(List<Grant> grants) {

    /** A rule and where it applies: namespace null for everywhere (cluster-wide requests included). */
    record Grant(String namespace, PolicyRule rule, String from) {

        boolean allows(ApiCall call) {
            return (namespace == null || namespace.equals(call.namespace()))
                    && rule.getApiGroups().contains(call.group())
                    && rule.getResources().contains(call.resource())
                    && rule.getVerbs().contains(call.verb())
                    && (rule.getResourceNames() == null || rule.getResourceNames().isEmpty()
                    || call.name() != null && rule.getResourceNames().contains(call.name()));
        }

        /** The same grant narrowed to one group, resource, verb and (if the rule names any) resource name. */
        Grant narrowed(String group, String resource, String verb, String resourceName) {
            PolicyRule one = new PolicyRuleBuilder().withApiGroups(group).withResources(resource).withVerbs(verb)
                    .withResourceNames(resourceName == null ? List.of() : List.of(resourceName)).build();
            return new Grant(namespace, one, from);
        }

        @Override
        public String toString() {
            return from + " " + rule.getApiGroups() + " " + rule.getResources() + " " + rule.getVerbs()
                    + (rule.getResourceNames() == null || rule.getResourceNames().isEmpty() ? ""
                    : " names " + rule.getResourceNames()) + (namespace == null ? " everywhere" : " in " + namespace);
        }
    }

    static Rbac of(RenderedOverlay overlay, String namespace, String serviceAccount) {
        List<Grant> grants = new ArrayList<>();
        for (ClusterRoleBinding binding : overlay.all(ClusterRoleBinding.class)) {
            if (names(binding.getSubjects(), namespace, serviceAccount)) {
                rules(overlay, binding.getRoleRef(), null).forEach(rule ->
                        grants.add(new Grant(null, rule, "ClusterRoleBinding " + binding.getMetadata().getName())));
            }
        }
        for (RoleBinding binding : overlay.all(RoleBinding.class)) {
            if (names(binding.getSubjects(), namespace, serviceAccount)) {
                String scope = binding.getMetadata().getNamespace();
                rules(overlay, binding.getRoleRef(), scope).forEach(rule -> grants.add(new Grant(scope, rule,
                        "RoleBinding " + scope + "/" + binding.getMetadata().getName())));
            }
        }
        return new Rbac(grants);
    }

    boolean allows(ApiCall call) {
        return grants.stream().anyMatch(grant -> grant.allows(call));
    }

    private static boolean names(List<Subject> subjects, String namespace, String serviceAccount) {
        return subjects != null && subjects.stream().anyMatch(subject -> "ServiceAccount".equals(subject.getKind())
                && serviceAccount.equals(subject.getName()) && namespace.equals(subject.getNamespace()));
    }

    private static List<PolicyRule> rules(RenderedOverlay overlay, RoleRef ref, String namespace) {
        if ("ClusterRole".equals(ref.getKind())) {
            return overlay.find(ClusterRole.class, null, ref.getName()).map(ClusterRole::getRules)
                    .orElseThrow(() -> new AssertionError("No ClusterRole " + ref.getName()));
        }
        return overlay.find(Role.class, namespace, ref.getName()).map(Role::getRules)
                .orElseThrow(() -> new AssertionError("No Role " + namespace + "/" + ref.getName()));
    }
}
