package io.quarkflow.tracking;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * A real PostgreSQL for the test run: an embedded server started once for all test classes, or the
 * server named by QUARKFLOW_TEST_DB_URL (a JDBC URL, with QUARKFLOW_TEST_DB_USER / _PASSWORD).
 */
@QuarkusTestResource(PostgresResource.class)
public class PostgresResource implements QuarkusTestResourceLifecycleManager {

    private EmbeddedPostgres postgres;

    @Override
    public Map<String, String> start() {
        String url = System.getenv("QUARKFLOW_TEST_DB_URL");
        if (url != null && !url.isBlank()) {
            return config(url, env("QUARKFLOW_TEST_DB_USER", "postgres"), env("QUARKFLOW_TEST_DB_PASSWORD", "postgres"));
        }
        try {
            postgres = EmbeddedPostgres.builder().start();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start embedded PostgreSQL", e);
        }
        return config("jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres", "postgres", "postgres");
    }

    @Override
    public void stop() {
        if (postgres != null) {
            try {
                postgres.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static Map<String, String> config(String jdbcUrl, String user, String password) {
        return Map.of(
                "quarkus.datasource.jdbc.url", jdbcUrl,
                "quarkus.datasource.reactive.url", jdbcUrl.substring("jdbc:".length()),
                "quarkus.datasource.username", user,
                "quarkus.datasource.password", password);
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
