package io.quarkflow.k8s;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A container's environment as the kubelet builds it: envFrom first, then env, which wins. A value from a ConfigMap
 * is read from the rendered one; a value from a Secret is unknown here and stands as a placeholder naming it.
 */
record ContainerEnv(Map<String, Value> values) {

    static ContainerEnv of(RenderedOverlay overlay, String namespace, Container container) {
        Map<String, Value> values = new LinkedHashMap<>();
        if (container.getEnvFrom() != null) {
            for (EnvFromSource from : container.getEnvFrom()) {
                if (from.getConfigMapRef() != null) {
                    String name = from.getConfigMapRef().getName();
                    overlay.configMap(namespace, name).map(ConfigMap::getData).orElse(Map.of()).forEach((key, value) ->
                            values.put(from.getPrefix() == null ? key : from.getPrefix() + key,
                                    new Value(value, Origin.CONFIG_MAP, name, key)));
                }
            }
        }
        if (container.getEnv() != null) {
            for (EnvVar env : container.getEnv()) {
                values.put(env.getName(), value(overlay, namespace, env));
            }
        }
        return new ContainerEnv(values);
    }

    Optional<Value> get(String name) {
        return Optional.ofNullable(values.get(name));
    }

    /** Name to value, as a configuration source reads the environment. */
    Map<String, String> asMap() {
        Map<String, String> map = new LinkedHashMap<>();
        values.forEach((name, value) -> map.put(name, value.value()));
        return map;
    }

    private static Value value(RenderedOverlay overlay, String namespace, EnvVar env) {
        if (env.getValueFrom() == null) {
            return new Value(env.getValue() == null ? "" : env.getValue(), Origin.LITERAL, null, null);
        }
        var from = env.getValueFrom();
        if (from.getSecretKeyRef() != null) {
            String name = from.getSecretKeyRef().getName();
            String key = from.getSecretKeyRef().getKey();
            return new Value("<from Secret " + name + "/" + key + ">", Origin.SECRET, name, key);
        }
        if (from.getConfigMapKeyRef() != null) {
            String name = from.getConfigMapKeyRef().getName();
            String key = from.getConfigMapKeyRef().getKey();
            String value = overlay.configMap(namespace, name).map(ConfigMap::getData).map(data -> data.get(key))
                    .orElse(null);
            return new Value(value, Origin.CONFIG_MAP, name, key);
        }
        return new Value(null, Origin.OTHER, null, null);
    }

    enum Origin { LITERAL, CONFIG_MAP, SECRET, OTHER }

    /** A variable's value (null when its ConfigMap or key is missing), and where it comes from. */
    record Value(String value, Origin origin, String source, String key) {

        boolean fromSecret() {
            return origin == Origin.SECRET;
        }

        String describe() {
            return switch (origin) {
                case LITERAL -> "the value '" + value + "'";
                case CONFIG_MAP -> "ConfigMap " + source + " key " + key;
                case SECRET -> "Secret " + source + " key " + key;
                case OTHER -> "a field reference";
            };
        }
    }
}
