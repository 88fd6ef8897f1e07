package io.quarkflow.launcher.tracking;

import io.quarkflow.run.tokens.RunTokens;
import org.junit.jupiter.api.Test;

import java.util.Base64;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which MLFLOW_TRACKING_TOKEN a local run gets: its own with a key, else the shared one, else none. */
class RunCredentialsTest {

    private static final String KEY = Base64.getEncoder().encodeToString(new byte[32]);
    private static final String RUN = "0123456789abcdef0123456789abcdef";

    @Test
    void aKeyGivesEachRunItsOwnTokenInPlaceOfTheSharedOne() {
        RunCredentials credentials = new RunCredentials(Optional.of(KEY), Optional.of("shared"));
        String token = credentials.tokenFor(RUN).orElseThrow();
        assertEquals(Optional.of(RUN), RunTokens.fromBase64Key(KEY, "key").verify(token));
        assertNotEquals(token, credentials.tokenFor("another-run").orElseThrow());
    }

    @Test
    void withoutAKeyTheSharedTokenOrNone() {
        assertEquals(Optional.of("shared"), new RunCredentials(Optional.empty(), Optional.of("shared")).tokenFor(RUN));
        assertEquals(Optional.empty(), new RunCredentials(Optional.empty(), Optional.empty()).tokenFor(RUN));
    }

    @Test
    void anUnusableKeyStopsTheLauncher() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new RunCredentials(Optional.of(Base64.getEncoder().encodeToString(new byte[8])), Optional.empty()));
        assertTrue(e.getMessage().contains("QUARKFLOW_LAUNCHER_RUN_TOKEN_KEY"), e.getMessage());
    }
}
