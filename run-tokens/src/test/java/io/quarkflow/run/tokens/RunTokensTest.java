package io.quarkflow.run.tokens;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class RunTokensTest {

    private static final byte[] KEY_BYTES = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final String KEY = Base64.getEncoder().encodeToString(KEY_BYTES);
    private static final RunTokens TOKENS = RunTokens.fromBase64Key(KEY, "key");
    private static final String RUN = "5f0c1d2e3f405162738495a6b7c8d9e0";

    @Test
    void aTokenIsThePrefixTheRunAndItsMacAsDocumented() throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(KEY_BYTES, "HmacSHA256"));
        String expected = "qfrun." + RUN + "." + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(mac.doFinal(("quarkflow-run:" + RUN).getBytes(StandardCharsets.UTF_8)));
        assertEquals(expected, TOKENS.mint(RUN));
        assertEquals(Optional.of(RUN), TOKENS.verify(expected));
        assertTrue(RunTokens.isRunToken(expected));
    }

    @Test
    void forgedMalformedAndForeignTokensDoNotVerify() {
        String token = TOKENS.mint(RUN);
        String mac = token.substring(token.lastIndexOf('.') + 1);
        RunTokens other = RunTokens.fromBase64Key(Base64.getEncoder().encodeToString(new byte[32]), "key");
        char last = token.charAt(token.length() - 1);
        for (String forged : List.of(
                token.substring(0, token.length() - 1) + (last == 'A' ? 'B' : 'A'),
                "qfrun.0000000000000000000000000000000a." + mac, // another run, this run's MAC
                other.mint(RUN),
                token.substring(0, token.length() - 1),
                token + "A",
                "qfrun." + RUN,
                "qfrun.." + mac,
                "qfrun.a.b." + mac,
                "qfrun.",
                "qfrun",
                "",
                RUN + "." + mac)) {
            assertEquals(Optional.empty(), TOKENS.verify(forged), forged);
        }
        assertEquals(Optional.empty(), TOKENS.verify(null));
        assertFalse(RunTokens.isRunToken("edit-token"));
    }

    @Test
    void onlyRunIdsAreMinted() {
        for (String bad : new String[] {"", "a.b", "../x", "-a", "a b", "x".repeat(129)}) {
            assertThrows(IllegalArgumentException.class, () -> TOKENS.mint(bad), bad);
        }
    }

    @Test
    void aKeyMustBeBase64OfAtLeast32Bytes() {
        IllegalArgumentException shortKey = assertThrows(IllegalArgumentException.class,
                () -> RunTokens.fromBase64Key(Base64.getEncoder().encodeToString(new byte[31]), "SOME_KEY"));
        assertTrue(shortKey.getMessage().contains("SOME_KEY"), shortKey.getMessage());
        assertTrue(shortKey.getMessage().contains("31 bytes"), shortKey.getMessage());
        IllegalArgumentException notBase64 = assertThrows(IllegalArgumentException.class,
                () -> RunTokens.fromBase64Key("not base64 at all!", "SOME_KEY"));
        assertTrue(notBase64.getMessage().contains("openssl rand -base64 32"), notBase64.getMessage());
        // As a file holds it: a final newline, or openssl's line breaks in a longer key.
        RunTokens fromFile = RunTokens.fromBase64Key(KEY + "\n", "key");
        assertEquals(TOKENS.mint(RUN), fromFile.mint(RUN));
        String longKey = Base64.getEncoder().encodeToString(new byte[64]);
        RunTokens.fromBase64Key(longKey.substring(0, 64) + "\n" + longKey.substring(64), "key");
    }
}
