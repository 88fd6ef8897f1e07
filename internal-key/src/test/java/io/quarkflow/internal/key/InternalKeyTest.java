package io.quarkflow.internal.key;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class InternalKeyTest {

    private static final String KEY = "q8Jc2mK0v3ZpX9rT1wY5bN7dF4hL6sA0eU2iO8gR=";

    @Test
    void theKeyIsRecognisedOnlyWhenItIsExactlyTheSame() {
        InternalKey key = InternalKey.of(KEY);
        assertTrue(key.isIn(KEY));
        assertFalse(key.isIn(null));
        assertFalse(key.isIn(""));
        assertFalse(key.isIn(KEY.substring(1)));
        assertFalse(key.isIn(KEY + "x"));
        assertFalse(key.isIn("Bearer " + KEY));
        assertFalse(key.isIn(KEY.toLowerCase()));
    }

    @Test
    void anUnsetOrBlankKeyIsNone() {
        assertEquals(Optional.empty(), InternalKey.of(Optional.empty()));
        assertEquals(Optional.empty(), InternalKey.of(Optional.of("  ")));
        assertTrue(InternalKey.of(Optional.of(" " + KEY + "\n")).orElseThrow().isIn(KEY));
    }

    @Test
    void aShortOrUnprintableKeyIsRefusedWithoutBeingEchoed() {
        IllegalArgumentException tooShort = assertThrows(IllegalArgumentException.class,
                () -> InternalKey.of("secret-but-short"));
        assertFalse(tooShort.getMessage().contains("secret-but-short"));
        assertThrows(IllegalArgumentException.class, () -> InternalKey.of(KEY + " " + KEY));
        assertThrows(IllegalArgumentException.class, () -> InternalKey.of(KEY + "\u00e9"));
        assertFalse(InternalKey.of(KEY).toString().contains(KEY));
    }

    @Test
    void aServiceAnswersToLoopbackItsNameAndItsClusterNamesByDefault() {
        ServiceHosts hosts = ServiceHosts.defaultsFor("tracking-service");
        for (String host : List.of("localhost", "127.0.0.1", "::1", "[::1]", "LOCALHOST", "tracking-service",
                "tracking-service.quarkflow.svc", "tracking-service.quarkflow.svc.cluster.local",
                "tracking-service.quarkflow.svc.cluster.local.")) {
            assertTrue(hosts.allows(host), host);
        }
        for (String host : List.of("", "evil.example", "tracking-service.evil.example", "127.0.0.1.nip.io",
                "localhost.evil.example", "artifact-service", "tracking-service..svc", "tracking-service.a.b.svc",
                "tracking-service.quarkflow.svc.evil.example", "0.0.0.0", "127.0.0.2")) {
            assertFalse(hosts.allows(host), host);
        }
        assertFalse(hosts.allows(null));
    }

    @Test
    void aConfiguredListReplacesTheDefaults() {
        ServiceHosts hosts = ServiceHosts.of(List.of(" Tracking.Internal.Example ", "[::1]"));
        assertTrue(hosts.allows("tracking.internal.example"));
        assertTrue(hosts.allows("[::1]"));
        assertFalse(hosts.allows("localhost"));
        assertFalse(hosts.allows("tracking.internal.example.svc"));
    }
}
