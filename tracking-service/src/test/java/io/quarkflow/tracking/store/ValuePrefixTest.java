package io.quarkflow.tracking.store;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class ValuePrefixTest {

    @Test
    void equalityComparesThePrefixThroughTheIndexThenTheWholeValue() {
        List<Object> args = new ArrayList<>();
        String sql = ValuePrefix.compare("p.value", "=", "v", value -> bind(args, value));
        assertEquals("left(p.value, 256) collate \"C\" = left($1, 256) and p.value collate \"C\" = $1", sql);
        assertEquals(List.of("v"), args);
    }

    @Test
    void likeWithALiteralStartIsARangeOfPrefixes() {
        List<Object> args = new ArrayList<>();
        String sql = ValuePrefix.compare("p.value", "LIKE", "vis%", value -> bind(args, value));
        assertEquals("left(p.value, 256) collate \"C\" >= $1 and left(p.value, 256) collate \"C\" < $2 "
                + "and p.value collate \"C\" like $3", sql);
        assertEquals(List.of("vis", "vit", "vis%"), args);
    }

    @Test
    void otherComparisonsFilterTheKeysRange() {
        List<Object> args = new ArrayList<>();
        assertEquals("p.value collate \"C\" like $1", ValuePrefix.compare("p.value", "LIKE", "%x", value -> bind(args, value)));
        assertEquals("p.value collate \"C\" ilike $2", ValuePrefix.compare("p.value", "ILIKE", "V%", value -> bind(args, value)));
        assertEquals("p.value collate \"C\" <> $3", ValuePrefix.compare("p.value", "!=", "v", value -> bind(args, value)));
    }

    @Test
    void theLiteralOfAPatternStopsAtTheFirstUnescapedWildcard() {
        assertEquals("ab", ValuePrefix.likeLiteral("ab%c"));
        assertEquals("ab", ValuePrefix.likeLiteral("ab_c"));
        assertEquals("a%b", ValuePrefix.likeLiteral("a\\%b%"));
        assertEquals("a_b\\", ValuePrefix.likeLiteral("a\\_b\\\\%"));
        assertEquals("ab", ValuePrefix.likeLiteral("ab\\"));
        assertEquals("", ValuePrefix.likeLiteral("%ab"));
        assertEquals("abc", ValuePrefix.likeLiteral("abc"));
    }

    @Test
    void theLiteralIsCutToTheIndexedLengthInCharactersNotUtf16Units() {
        String emoji = "\uD83D\uDE00";
        String literal = ValuePrefix.likeLiteral(emoji.repeat(300) + "%");
        assertEquals(256, literal.codePointCount(0, literal.length()));
        assertEquals(emoji.repeat(256), literal);
    }

    @Test
    void theSuccessorIsTheLeastStringAboveEveryExtension() {
        assertEquals("abd", ValuePrefix.successor("abc"));
        assertEquals("a\uE000", ValuePrefix.successor("a\uD7FF"), "surrogates are no characters");
        assertEquals("b", ValuePrefix.successor("a" + Character.toString(Character.MAX_CODE_POINT)));
        assertEquals("\uD83D\uDE01", ValuePrefix.successor("\uD83D\uDE00"));
        assertNull(ValuePrefix.successor(Character.toString(Character.MAX_CODE_POINT)));
    }

    private static String bind(List<Object> args, Object value) {
        args.add(value);
        return "$" + args.size();
    }
}
