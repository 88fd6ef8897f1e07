package io.quarkflow.internal.key;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The names a service answers to in the Host header. A browser tricked into calling a service by DNS rebinding sends
 * the attacker's name; the suite's own callers use loopback or the service's Kubernetes name. By default: localhost,
 * 127.0.0.1, ::1, the service's name ({@code quarkus.application.name}) and its in-cluster names
 * {@code <name>.<namespace>.svc} and {@code <name>.<namespace>.svc.cluster.local}; a configured list replaces them.
 */
public final class ServiceHosts {

    /** The property that replaces the default list (QUARKFLOW_INTERNAL_ALLOWED_HOSTS, comma-separated). */
    public static final String PROPERTY = "quarkflow.internal.allowed-hosts";

    private final Set<String> names;
    private final String serviceName;

    private ServiceHosts(Set<String> names, String serviceName) {
        this.names = names;
        this.serviceName = serviceName;
    }

    /** Only the listed names (without ports). */
    public static ServiceHosts of(List<String> names) {
        return new ServiceHosts(lowerCase(names), null);
    }

    /** The default for the service called {@code serviceName}. */
    public static ServiceHosts defaultsFor(String serviceName) {
        String name = serviceName.toLowerCase(Locale.ROOT);
        return new ServiceHosts(Set.of("localhost", "127.0.0.1", "::1", name), name);
    }

    /** Whether a Host header's name (without its port; IPv6 with or without brackets) is one of ours. */
    public boolean allows(String host) {
        if (host == null || host.isEmpty()) {
            return false;
        }
        String name = host.toLowerCase(Locale.ROOT);
        if (name.startsWith("[") && name.endsWith("]")) {
            name = name.substring(1, name.length() - 1);
        }
        if (name.endsWith(".")) { // the fully qualified form of the same name
            name = name.substring(0, name.length() - 1);
        }
        return names.contains(name) || serviceName != null && isClusterName(name);
    }

    /** {@code <service>.<namespace>.svc} or {@code <service>.<namespace>.svc.cluster.local}. */
    private boolean isClusterName(String name) {
        String prefix = serviceName + ".";
        if (!name.startsWith(prefix)) {
            return false;
        }
        String rest = name.substring(prefix.length());
        String namespace = rest.endsWith(".svc") ? rest.substring(0, rest.length() - ".svc".length())
                : rest.endsWith(".svc.cluster.local") ? rest.substring(0, rest.length() - ".svc.cluster.local".length())
                : null;
        return namespace != null && namespace.matches("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    }

    private static Set<String> lowerCase(List<String> names) {
        return names.stream().map(String::strip).filter(name -> !name.isEmpty())
                .map(name -> name.toLowerCase(Locale.ROOT).replaceAll("^\\[(.*)]$", "$1"))
                .collect(Collectors.toUnmodifiableSet());
    }
}
