package io.quarkflow.k8s;

import io.quarkus.runtime.configuration.DurationConverter;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.runtime.configuration.MemorySizeConverter;
import io.quarkus.runtime.configuration.PathConverter;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.SysPropConfigSource;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A service's configuration as it starts in its pod: its application.properties (profile prod) under the container's
 * environment, resolved by SmallRye Config (Quarkus' own configuration library) with the same ordinals, and with the
 * service's @ConfigMapping interfaces registered (its own and its io.quarkflow dependencies'), so that building it
 * fails for a required property nobody sets, as the service's start would.
 */
final class ServiceConfig {

    private static final String PROFILE = "prod";
    /** Quarkus' ordinals: application.properties in the jar 250, environment 300. */
    private static final int APPLICATION_PROPERTIES = 250;
    private static final int ENVIRONMENT = 300;
    private static final Pattern PACKAGE = Pattern.compile("(?m)^package\\s+([\\w.]+);");

    final String module;
    final Map<String, String> env;
    private final Properties properties;
    private final SmallRyeConfig config;

    private ServiceConfig(String module, Map<String, String> env, Properties properties, SmallRyeConfig config) {
        this.module = module;
        this.env = env;
        this.properties = properties;
        this.config = config;
    }

    /**
     * @throws io.smallrye.config.ConfigValidationException when a mapping's required property has no value, or a
     *                                                      value cannot be converted
     */
    static ServiceConfig of(String module, Map<String, String> env) {
        return build(module, env, true);
    }

    /** The same without the mappings: for reading values, where a missing one is another test's failure. */
    static ServiceConfig unvalidated(String module, Map<String, String> env) {
        return build(module, env, false);
    }

    private static ServiceConfig build(String module, Map<String, String> env, boolean withMappings) {
        Properties properties = applicationProperties(module);
        SmallRyeConfigBuilder builder = new SmallRyeConfigBuilder()
                .withProfile(PROFILE)
                .withSources(new PropertiesConfigSource(properties, "application.properties", APPLICATION_PROPERTIES))
                .withSources(new EnvConfigSource(env, ENVIRONMENT))
                .withSources(new SysPropConfigSource())
                .withConverter(Duration.class, 200, new DurationConverter())
                .withConverter(MemorySize.class, 200, new MemorySizeConverter())
                .withConverter(Path.class, 200, new PathConverter())
                .withValidateUnknown(false);
        if (withMappings) {
            configMappings(module).forEach(builder::withMapping);
        }
        return new ServiceConfig(module, env, properties, builder.build());
    }

    <T> T mapping(Class<T> type) {
        return config.getConfigMapping(type);
    }

    /** A property's value as the service reads it, expressions expanded; empty when unset. */
    Optional<String> get(String name) {
        try {
            ConfigValue value = config.getConfigValue(name);
            return Optional.ofNullable(value.getValue());
        } catch (RuntimeException unresolvable) {
            return Optional.empty();
        }
    }

    String get(String name, String quarkusDefault) {
        return get(name).orElse(quarkusDefault);
    }

    boolean getBoolean(String name, boolean quarkusDefault) {
        return get(name).map(Boolean::parseBoolean).orElse(quarkusDefault);
    }

    /**
     * Every value the service is given: each property of its application.properties (under profile prod) as it
     * resolves, and each environment variable.
     */
    Map<String, String> values() {
        Map<String, String> values = new LinkedHashMap<>();
        for (String key : properties.stringPropertyNames()) {
            String name = key.startsWith("%" + PROFILE + ".") ? key.substring(PROFILE.length() + 2) : key;
            if (!name.startsWith("%")) {
                get(name).ifPresent(value -> values.put(name, value));
            }
        }
        values.putAll(env);
        return values;
    }

    static Properties applicationProperties(String module) {
        Path file = Repository.module(module).resolve("src/main/resources/application.properties");
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read " + file, e);
        }
        return properties;
    }

    /**
     * The @ConfigMapping interfaces in the sources of the module and of the io.quarkflow modules it depends on: each
     * file that mentions the annotation is loaded, with its nested types.
     */
    static List<Class<?>> configMappings(String module) {
        List<Class<?>> mappings = new ArrayList<>();
        for (Path moduleDir : Repository.withQuarkflowDependencies(module)) {
            Path sources = moduleDir.resolve("src/main/java");
            if (!Files.isDirectory(sources)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(sources)) {
                for (Path file : files.filter(path -> path.toString().endsWith(".java")).toList()) {
                    String text = Files.readString(file);
                    if (text.contains("@ConfigMapping")) {
                        Matcher pkg = PACKAGE.matcher(text);
                        String simpleName = file.getFileName().toString().replace(".java", "");
                        String className = pkg.find() ? pkg.group(1) + "." + simpleName : simpleName;
                        collect(Class.forName(className, false, ServiceConfig.class.getClassLoader()), mappings);
                    }
                }
            } catch (IOException | ClassNotFoundException e) {
                throw new IllegalStateException("Cannot load the configuration classes of " + moduleDir, e);
            }
        }
        return mappings;
    }

    private static void collect(Class<?> type, List<Class<?>> mappings) {
        if (type.isAnnotationPresent(ConfigMapping.class)) {
            mappings.add(type);
        }
        for (Class<?> nested : type.getDeclaredClasses()) {
            collect(nested, mappings);
        }
    }
}
