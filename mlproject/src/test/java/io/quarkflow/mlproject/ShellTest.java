package io.quarkflow.mlproject;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Expected values are what CPython 3.11's shlex.quote and shlex.split print. */
class ShellTest {

    @Test
    void quoteLeavesSafeWordsBare() {
        assertEquals("a", Shell.quote("a"));
        assertEquals("a@b%c+d=e:f,g.h/i-j_k", Shell.quote("a@b%c+d=e:f,g.h/i-j_k"));
        assertEquals("s3://bucket/data.csv", Shell.quote("s3://bucket/data.csv"));
    }

    @Test
    void quoteWrapsEverythingElseInSingleQuotes() {
        assertEquals("''", Shell.quote(""));
        assertEquals("'a b'", Shell.quote("a b"));
        assertEquals("'it'\"'\"'s'", Shell.quote("it's"));
        assertEquals("'$(id)'", Shell.quote("$(id)"));
        assertEquals("'`id`'", Shell.quote("`id`"));
        assertEquals("'; rm -rf /'", Shell.quote("; rm -rf /"));
        assertEquals("'x\ny'", Shell.quote("x\ny"));
        assertEquals("'é'", Shell.quote("é"));
    }

    @Test
    void splitFollowsPosixShlex() {
        assertEquals(List.of("a", "b c", "d"), Shell.split("a \"b c\" d"));
        assertEquals(List.of("a", "b c"), Shell.split("a 'b c'"));
        assertEquals(List.of("a b"), Shell.split("a\\ b"));
        assertEquals(List.of("a\"b\\c\\d"), Shell.split("\"a\\\"b\\\\c\\d\""));
        assertEquals(List.of("a", "", "b"), Shell.split("a '' b"));
        assertEquals(List.of("a\\b"), Shell.split("'a\\b'"));
        assertEquals(List.of("ab cd"), Shell.split("a\"b c\"d"));
        assertEquals(List.of("x\ny"), Shell.split("x\\\ny"));
        assertEquals(List.of("$HOME", "`id`"), Shell.split("\"$HOME\" `id`"));
        assertEquals(List.of("python", "train.py", "--alpha", "0.5"), Shell.split("  python\ttrain.py\n--alpha 0.5 "));
        assertEquals(List.of(), Shell.split(" \t\n"));
    }

    @Test
    void splitUndoesQuote() {
        for (String hostile : List.of("; rm -rf /", "$(id)", "`id`", "it's \"q\"", "a\nb", "--x=1; id", "", "\\")) {
            assertEquals(List.of("run", hostile), Shell.split("run " + Shell.quote(hostile)));
        }
    }

    @Test
    void splitRefusesUnbalancedQuotesAndTrailingEscapes() {
        assertEquals("Cannot split the command: No closing quotation",
                assertThrows(ProjectException.class, () -> Shell.split("\"abc")).getMessage());
        assertThrows(ProjectException.class, () -> Shell.split("'abc"));
        assertThrows(ProjectException.class, () -> Shell.split("a 'b\" c"));
        assertEquals("Cannot split the command: No escaped character",
                assertThrows(ProjectException.class, () -> Shell.split("abc\\")).getMessage());
        assertThrows(ProjectException.class, () -> Shell.split("\"abc\\"));
    }
}
