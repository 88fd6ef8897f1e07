package io.quarkflow.e2e;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Hands tests the {@link QuarkflowSuite}, started on first use and kept in the root store, so that every test class
 * of the JVM shares it; JUnit closes it when the test run ends. A failed start is kept too: the other classes
 * fail at once with the same cause instead of each waiting for the services again.
 */
final class SuiteExtension implements ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(SuiteExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == QuarkflowSuite.class;
    }

    @Override
    public QuarkflowSuite resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE)
                .computeIfAbsent(QuarkflowSuite.class, key -> Startup.attempt(), Startup.class)
                .suite();
    }

    /** Either the running suite or why it did not start. */
    private record Startup(QuarkflowSuite running, RuntimeException failure) implements AutoCloseable {

        static Startup attempt() {
            try {
                return new Startup(QuarkflowSuite.start(), null);
            } catch (RuntimeException e) {
                return new Startup(null, e);
            }
        }

        QuarkflowSuite suite() {
            if (failure != null) {
                throw failure;
            }
            return running;
        }

        @Override
        public void close() {
            if (running != null) {
                running.close();
            }
        }
    }
}
