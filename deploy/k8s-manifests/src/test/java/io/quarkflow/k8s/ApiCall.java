package io.quarkflow.k8s;

import java.net.URI;
import java.util.Arrays;
import java.util.Optional;

/**
 * One Kubernetes API request as RBAC sees it: the API group, the resource (with its subresource, as in pods/log),
 * the namespace (null for a cluster-wide request), the object's name (null for collections and creates) and the verb.
 *
 * @see <a href="https://kubernetes.io/docs/reference/access-authn-authz/authorization/#determine-the-request-verb">
 * Kubernetes: determine the request verb</a>
 */
record ApiCall(String group, String resource, String namespace, String name, String verb) {

    /** The call an HTTP request makes; empty for non-resource paths (discovery, /version). */
    static Optional<ApiCall> of(String method, String pathAndQuery) {
        URI uri = URI.create(pathAndQuery);
        String[] segments = Arrays.stream(uri.getPath().split("/")).filter(part -> !part.isEmpty())
                .toArray(String[]::new);
        int rest;
        String group;
        if (segments.length >= 3 && segments[0].equals("api")) {
            group = "";
            rest = 2;
        } else if (segments.length >= 4 && segments[0].equals("apis")) {
            group = segments[1];
            rest = 3;
        } else {
            return Optional.empty();
        }
        String namespace = null;
        if (segments[rest].equals("namespaces") && segments.length >= rest + 3) {
            namespace = segments[rest + 1];
            rest += 2;
        }
        String resource = segments[rest];
        String name = segments.length > rest + 1 ? segments[rest + 1] : null;
        if (segments.length > rest + 2) {
            resource += "/" + segments[rest + 2];
        }
        return Optional.of(new ApiCall(group, resource, namespace, name, verb(method, name, uri.getQuery())));
    }

    private static String verb(String method, String name, String query) {
        boolean watch = query != null && Arrays.stream(query.split("&"))
                .anyMatch(parameter -> parameter.equals("watch=true") || parameter.equals("watch=1"));
        return switch (method) {
            case "GET", "HEAD" -> watch ? "watch" : name == null ? "list" : "get";
            case "POST" -> "create";
            case "PUT" -> "update";
            case "PATCH" -> "patch";
            case "DELETE" -> name == null ? "deletecollection" : "delete";
            default -> throw new IllegalArgumentException("HTTP method " + method);
        };
    }

    @Override
    public String toString() {
        return verb + " " + (group.isEmpty() ? "" : group + "/") + resource + (name == null ? "" : " " + name)
                + (namespace == null ? " (all namespaces)" : " in " + namespace);
    }
}
