package io.quarkflow.local;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;

/** PostgreSQL run by the suite itself, its data kept in {@code <home>/postgres} across restarts. */
final class EmbeddedDatabase implements AutoCloseable {

    private static final String NAME = "quarkflow";

    private final EmbeddedPostgres postgres;

    private EmbeddedDatabase(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    /** Where the embedded database answers once started on this port. */
    static Database address(int port) {
        return new Database("jdbc:postgresql://localhost:" + port + "/" + NAME, "postgres", "postgres");
    }

    /** Starts PostgreSQL, its output in {@code <home>/postgres.log}, and creates the database on the first start. */
    static EmbeddedDatabase start(Path home, int port) throws IOException, SQLException {
        Files.createDirectories(home);
        Path log = home.resolve("postgres.log");
        System.out.println("Starting PostgreSQL on port " + port + ", data in " + home.resolve("postgres"));
        EmbeddedPostgres postgres;
        try {
            postgres = EmbeddedPostgres.builder()
                    .setDataDirectory(home.resolve("postgres"))
                    .setCleanDataDirectory(false) // keep experiments and runs across restarts
                    // The library starts PostgreSQL for throwaway test data (-F: no fsync, asynchronous commit);
                    // this data is meant to survive a crash, so durability goes back on.
                    .setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", "on")
                    .setPort(port)
                    .setRegisterShutdownHook(false) // the suite's hook stops the services before the database
                    .setOutputRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .setErrorRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("PostgreSQL did not start (see " + log + "): " + e.getMessage(), e);
        }
        EmbeddedDatabase database = new EmbeddedDatabase(postgres);
        try {
            database.createIfMissing();
        } catch (SQLException | RuntimeException e) {
            database.close();
            throw e;
        }
        return database;
    }

    private void createIfMissing() throws SQLException {
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
             PreparedStatement exists = connection.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            exists.setString(1, NAME);
            if (!exists.executeQuery().next()) {
                try (Statement create = connection.createStatement()) {
                    create.execute("CREATE DATABASE " + NAME);
                }
            }
        }
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            System.err.println("Could not stop PostgreSQL: " + e.getMessage());
        }
    }
}
