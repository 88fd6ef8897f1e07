package io.quarkflow.mlflow.errors;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Expected strings are what CPython 3.11 prints for json.dumps(v, sort_keys=True, separators=(",", ":")) and repr(v). */
class PythonTest {

    @Test
    void jsonDumpsOfScalars() {
        assertEquals("123", Python.json(123));
        assertEquals("-5", Python.json(-5L));
        assertEquals("9.0", Python.json(9.0));
        assertEquals("0.1", Python.json(0.1));
        assertEquals("1e+20", Python.json(1e20));
        assertEquals("1.5e-07", Python.json(1.5e-7));
        assertEquals("1.2345e+16", Python.json(1.2345e16));
        assertEquals("1000000000000000.0", Python.json(1e15));
        assertEquals("NaN", Python.json(Double.NaN));
        assertEquals("true", Python.json(true));
        assertEquals("null", Python.json(null));
        assertEquals("\"caf\\u00e9\\n\\\"q\\\"\"", Python.json("café\n\"q\""));
    }

    @Test
    void jsonDumpsOfContainersSortsKeysAndLeavesNoSpaces() {
        Map<String, Object> unsorted = new LinkedHashMap<>();
        unsorted.put("b", 1);
        unsorted.put("a", List.of(2, "x"));
        assertEquals("{\"a\":[2,\"x\"],\"b\":1}", Python.json(unsorted));
    }

    @Test
    void aValueNestedThousandsDeepIsWrittenWithItsDepthCut() {
        Object nested = "bottom";
        for (int i = 0; i < 5_000; i++) {
            nested = i % 2 == 0 ? List.of(nested) : Map.of("a", nested);
        }
        String written = Python.json(nested);
        assertEquals("{\"a\":[".repeat(Python.MAX_DEPTH / 2) + "{...}" + "]}".repeat(Python.MAX_DEPTH / 2), written);
    }

    @Test
    void typeNamesAreTheOnesJsonLoadsGives() {
        assertEquals(List.of("int", "float", "str", "bool", "list", "dict", "NoneType"),
                java.util.Arrays.asList(1L, 1.5, "s", true, List.of(), Map.of(), null).stream()
                        .map(Python::typeName).toList());
    }

    @Test
    void reprQuotesAsPythonChooses() {
        assertEquals("'q'", Python.repr("q"));
        assertEquals("\"it's\"", Python.repr("it's"));
        assertEquals("'say \"hi\" it\\'s'", Python.repr("say \"hi\" it's"));
        assertEquals("'café'", Python.repr("café"));
        assertEquals("['a', 'b']", Python.repr(List.of("a", "b")));
    }

    @Test
    void invalidValueIsMlflowsMessage() {
        assertEquals("Invalid value -5 for parameter 'timestamp' supplied: must be positive",
                MlflowException.invalidValue("timestamp", -5L, "must be positive").getMessage());
        assertEquals("Invalid value \"x\" for parameter 'key' supplied.",
                MlflowException.invalidValue("key", "x", null).getMessage());
    }

    /** Expected values printed by CPython 3.11: json.dumps, repr and str of the same inputs. */
    @Test
    void escapesAndFloatsAreWrittenAsCpythonWritesThem() {
        assertEquals("\"a\\bb\\fc\\u0001\\u00e9\"", Python.json("a\bb\fc\u0001\u00e9"));
        assertEquals("-0.0", Python.json(-0.0));
        assertEquals("'x\\x01y\\x7f'", Python.repr("x\u0001y\u007f"));
        assertEquals("\"it's\"", Python.repr("it's"));
        assertEquals("1e+20", Python.str(1e20));
        assertEquals("1.5e-07", Python.str(1.5e-07));
        assertEquals("nan", Python.str(Double.NaN));
        assertEquals("NaN", Python.json(Double.NaN));
    }
}
