package io.quarkflow.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The server and the credentials, as MLflow's client takes them, and the local suite's token. */
class ConnectionTest {

    @TempDir
    Path temp;

    @Test
    void theDefaultServerIsTheLocalSuitesPort() {
        assertEquals(URI.create("http://127.0.0.1:5000"), connect(Map.of()).server());
        assertEquals(URI.create("http://127.0.0.1:6000"), connect(Map.of("QUARKFLOW_PORT", "6000")).server());
        assertEquals(URI.create("https://mlflow.example/prefix"),
                connect(Map.of("MLFLOW_TRACKING_URI", "https://mlflow.example/prefix/")).server());
    }

    @Test
    void onlyHttpServersAreTaken() {
        for (String uri : new String[] {"file:///tmp/mlruns", "databricks", "./mlruns", "http://"}) {
            assertThrows(Arguments.UsageException.class, () -> connect(Map.of("MLFLOW_TRACKING_URI", uri)), uri);
        }
    }

    @Test
    void basicAuthenticationWinsOverATokenAsInMlflow() {
        Connection both = connect(Map.of("MLFLOW_TRACKING_USERNAME", "alice", "MLFLOW_TRACKING_PASSWORD", "pw:1",
                "MLFLOW_TRACKING_TOKEN", "t"));
        assertEquals("Basic " + Base64.getEncoder().encodeToString("alice:pw:1".getBytes(StandardCharsets.UTF_8)),
                both.authorization());
        assertEquals("Bearer t", connect(Map.of("MLFLOW_TRACKING_USERNAME", "alice", "MLFLOW_TRACKING_TOKEN", "t"))
                .authorization(), "a user without a password is no credential");
    }

    @Test
    void theLocalSuitesTokenIsFoundInTheRepositoryWhenNothingElseIsSet() throws IOException {
        Path repo = temp.resolve("repo");
        Path tokenFile = token(repo.resolve(".quarkflow"), "local-token\n");

        Connection found = Connection.fromEnvironment(Map.of(), repo, temp.resolve("elsewhere"));
        assertEquals("Bearer local-token", found.authorization());
        assertEquals(tokenFile, found.tokenFile());

        Connection given = Connection.fromEnvironment(Map.of("MLFLOW_TRACKING_TOKEN", "mine"), repo, temp);
        assertEquals("Bearer mine", given.authorization());
        assertNull(given.tokenFile());
    }

    @Test
    void theCurrentDirectoryComesFirstAndQuarkflowHomeIsHonoured() throws IOException {
        Path repo = temp.resolve("repo");
        Path here = temp.resolve("here");
        token(repo.resolve(".quarkflow"), "repo-token");
        token(here.resolve(".quarkflow"), "here-token");
        assertEquals("Bearer here-token", Connection.fromEnvironment(Map.of(), repo, here).authorization());

        Path home = token(temp.resolve("home"), "home-token").getParent();
        assertEquals("Bearer home-token", Connection.fromEnvironment(Map.of("QUARKFLOW_HOME", home.toString()),
                repo, here).authorization());
        token(repo.resolve("relative-home"), "relative-token");
        assertEquals("Bearer relative-token", Connection.fromEnvironment(Map.of("QUARKFLOW_HOME", "relative-home"),
                repo, here).authorization(), "a relative home is looked for in the repository too");
    }

    @Test
    void theLocalTokenNeverGoesToAnotherMachine() throws IOException {
        Path repo = temp.resolve("repo");
        token(repo.resolve(".quarkflow"), "local-token");
        for (String uri : new String[] {"http://localhost:5000", "http://[::1]:5000", "http://127.0.0.2:5000"}) {
            assertEquals("Bearer local-token",
                    Connection.fromEnvironment(Map.of("MLFLOW_TRACKING_URI", uri), repo, temp).authorization(), uri);
        }
        for (String uri : new String[] {"https://mlflow.example", "http://10.0.0.1:5000", "http://localhost.evil"}) {
            assertNull(Connection.fromEnvironment(Map.of("MLFLOW_TRACKING_URI", uri), repo, temp).authorization(),
                    uri);
        }
    }

    @Test
    void withoutAnyCredentialNoneIsSent() throws IOException {
        token(temp.resolve(".quarkflow"), "  \n");
        assertNull(Connection.fromEnvironment(Map.of(), temp, temp).authorization(), "an empty token is none");
        assertNull(Connection.fromEnvironment(Map.of(), null, temp.resolve("nowhere")).authorization());
    }

    private Connection connect(Map<String, String> env) {
        return Connection.fromEnvironment(env, null, temp);
    }

    private static Path token(Path home, String token) throws IOException {
        Files.createDirectories(home);
        return Files.writeString(home.resolve("token"), token);
    }
}
