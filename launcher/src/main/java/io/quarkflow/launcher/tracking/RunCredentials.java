package io.quarkflow.launcher.tracking;

import io.quarkflow.launcher.config.LauncherConfig;
import io.quarkflow.run.tokens.RunTokens;
import io.quarkus.runtime.Startup;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import java.util.Optional;

/**
 * The MLFLOW_TRACKING_TOKEN a run logs with through the gateway. With quarkflow.launcher.run-token-key, each run gets
 * a token of its own, minted here and verified by the gateway with the same key: its holder may read everything but
 * change only that run, so a project's code (or anyone who can read its Job or environment) cannot touch other runs.
 * Without a key, every run gets the one configured run-token, if any. Made at startup, so an unusable key stops the
 * launcher at once instead of failing its first run.
 */
@Startup
@Singleton
public class RunCredentials {

    private static final String KEY_SETTING = "quarkflow.launcher.run-token-key (QUARKFLOW_LAUNCHER_RUN_TOKEN_KEY)";

    private final Optional<RunTokens> runTokens;
    private final Optional<String> sharedToken;

    @Inject
    public RunCredentials(LauncherConfig config) {
        this(config.runTokenKey(), config.runToken());
    }

    /** @throws IllegalStateException when a key is given that is not base64 of at least 32 bytes */
    public RunCredentials(Optional<String> runTokenKey, Optional<String> sharedToken) {
        try {
            this.runTokens = runTokenKey.map(key -> RunTokens.fromBase64Key(key, KEY_SETTING));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        this.sharedToken = sharedToken;
    }

    /** The run's own token when a key is configured, else the shared token, else none. */
    public Optional<String> tokenFor(String runId) {
        return runTokens.map(tokens -> tokens.mint(runId)).or(() -> sharedToken);
    }

    /** The minter, when a key is configured; Jobs then carry their run's token, not a shared Secret's. */
    public Optional<RunTokens> runTokens() {
        return runTokens;
    }
}
