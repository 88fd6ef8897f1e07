package io.quarkflow.mlproject;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Expected commands are what MLflow 3.3's EntryPoint.compute_command gives, except where a test says otherwise. */
class EntryPointTest {

    /** MLflow's examples/docker entry point. */
    private static final EntryPoint TRAIN = entryPoint("python train.py --alpha {alpha} --l1-ratio {l1_ratio}",
            new Parameter("alpha", "float", null), new Parameter("l1_ratio", "float", "0.1"));

    @Test
    void declaredParametersTakeTheUsersValueOrTheirDefault() {
        ResolvedCommand resolved = TRAIN.resolve(Map.of("alpha", "0.5"));
        assertEquals("python train.py --alpha 0.5 --l1-ratio 0.1", resolved.command());
        assertEquals(List.of("alpha", "l1_ratio"), List.copyOf(resolved.parameters().keySet()));
        assertEquals(Map.of("alpha", "0.5", "l1_ratio", "0.1"), resolved.parameters());
        assertEquals("python train.py --alpha 0.5 --l1-ratio 0.9",
                TRAIN.resolve(Map.of("alpha", "0.5", "l1_ratio", "0.9")).command());
    }

    @Test
    void extraParametersAreAppendedInInsertionOrderAndLoggedAfterTheDeclaredOnes() {
        Map<String, String> given = new LinkedHashMap<>();
        given.put("zeta", "1");
        given.put("alpha", "0.5");
        given.put("beta", "two words");
        ResolvedCommand resolved = TRAIN.resolve(given);
        assertEquals("python train.py --alpha 0.5 --l1-ratio 0.1 --zeta 1 --beta 'two words'", resolved.command());
        assertEquals(List.of("alpha", "l1_ratio", "zeta", "beta"), List.copyOf(resolved.parameters().keySet()));
    }

    @Test
    void loggedValuesAreTheQuotedOnesAsInMlflow() {
        ResolvedCommand resolved = TRAIN.resolve(Map.of("alpha", "nan", "note", "a b"));
        assertEquals("nan", resolved.parameters().get("alpha"));
        assertEquals("'a b'", resolved.parameters().get("note"));
    }

    @Test
    void hostileValuesStayOneWord() {
        EntryPoint echo = entryPoint("echo {msg}", new Parameter("msg", "string", null));
        for (String hostile : List.of("; rm -rf /", "$(id)", "`id`", "a\nid", "it's \"quoted\"", "--x=1; id",
                "' ; id ; '", "\\", "")) {
            String command = echo.resolve(Map.of("msg", hostile)).command();
            assertEquals(List.of("echo", hostile), Shell.split(command), command);
        }
        assertEquals("echo '; rm -rf /'", echo.resolve(Map.of("msg", "; rm -rf /")).command());
        assertEquals("echo 'it'\"'\"'s'", echo.resolve(Map.of("msg", "it's")).command());
    }

    @Test
    void hostileExtraKeysAreQuotedUnlikeMlflow() {
        Map<String, String> given = new LinkedHashMap<>();
        given.put("alpha", "0.5");
        given.put("x y", "$(id)");
        given.put("--x=1; id", "`id`\n'q'");
        given.put("$(id)", "1");
        String command = TRAIN.resolve(given).command();
        // MLflow: python train.py --alpha 0.5 --l1-ratio 0.1 --x y '$(id)' ----x=1; id '`id`\n'"'"'q'"'"'' --$(id) 1
        assertEquals("python train.py --alpha 0.5 --l1-ratio 0.1 --'x y' '$(id)' --'--x=1; id' "
                + "'`id`\n'\"'\"'q'\"'\"'' --'$(id)' 1", command);
        assertEquals(List.of("python", "train.py", "--alpha", "0.5", "--l1-ratio", "0.1", "--x y", "$(id)",
                "----x=1; id", "`id`\n'q'", "--$(id)", "1"), Shell.split(command));
    }

    @Test
    void nulCharactersAndEmptyKeysAreRefused() {
        assertThrows(ProjectException.class, () -> TRAIN.resolve(Map.of("alpha", "0.5", "note", "a\0b")));
        assertThrows(ProjectException.class, () -> TRAIN.resolve(Map.of("alpha", "0.5", "a\0b", "1")));
        assertThrows(ProjectException.class, () -> TRAIN.resolve(Map.of("alpha", "0.5", "", "1")));
        Map<String, String> nullValue = new LinkedHashMap<>();
        nullValue.put("alpha", null);
        assertThrows(ProjectException.class, () -> TRAIN.resolve(nullValue));
    }

    @Test
    void missingParametersUseMlflowsWordingAndDeclarationOrder() {
        EntryPoint three = entryPoint("run {b} {a} {c}", new Parameter("b", "string", null),
                new Parameter("a", "path", null), new Parameter("c", "string", "x"));
        assertEquals("No value given for missing parameters: 'b', 'a'",
                assertThrows(ProjectException.class, () -> three.resolve(Map.of())).getMessage());
        assertEquals("No value given for missing parameters: 'b', 'a'",
                assertThrows(ProjectException.class, () -> three.resolve(null)).getMessage());
        assertEquals("No value given for missing parameters: 'alpha'",
                assertThrows(ProjectException.class, () -> TRAIN.resolve(Map.of("l1_ratio", "0.2"))).getMessage());
    }

    @Test
    void floatsAreCheckedAsPythonsFloatReadsThem() {
        for (String value : List.of("1", "0.5", "1e3", "1E-3", " 2 ", "\t3\n", "nan", "NaN", "inf", "-Infinity",
                "+1.5", "1_000.5", ".5", "5.", "-0")) {
            String command = TRAIN.resolve(Map.of("alpha", value)).command();
            assertEquals(value, Shell.split(command).get(3), command);
        }
        for (String value : List.of("", "abc", "1,5", "0x10", "1__0", "_1", ".", "e5", "1e", "+-1", "1 2",
                "; rm -rf /", "$(id)")) {
            ProjectException e = assertThrows(ProjectException.class, () -> TRAIN.resolve(Map.of("alpha", value)));
            assertTrue(e.getMessage().startsWith("Parameter 'alpha' is of type float"), e.getMessage());
        }
    }

    @Test
    void floatDefaultsAreCheckedToo() {
        EntryPoint bad = entryPoint("run {rate}", new Parameter("rate", "float", "fast"));
        assertThrows(ProjectException.class, () -> bad.resolve(Map.of()));
    }

    @Test
    void urisNeedASchemeWithMlflowsMessage() {
        EntryPoint fetch = entryPoint("fetch {source}", new Parameter("source", "uri", null));
        assertEquals("fetch s3://bucket/data.csv", fetch.resolve(Map.of("source", "s3://bucket/data.csv")).command());
        assertEquals("fetch 'mlflow-artifacts:/0/r/artifacts/x y'",
                fetch.resolve(Map.of("source", "mlflow-artifacts:/0/r/artifacts/x y")).command());
        assertEquals("Expected URI for parameter source but got data/train.csv",
                assertThrows(ProjectException.class, () -> fetch.resolve(Map.of("source", "data/train.csv")))
                        .getMessage());
        assertThrows(ProjectException.class, () -> fetch.resolve(Map.of("source", "/abs/path")));
        assertThrows(ProjectException.class, () -> fetch.resolve(Map.of("source", "1http://x")));
    }

    @Test
    void pathsAndOtherTypesPassThroughQuoted() {
        EntryPoint etl = entryPoint("python etl_data.py --ratings-csv {ratings_csv} --max-row-limit {max_row_limit}",
                new Parameter("ratings_csv", "path", null), new Parameter("max_row_limit", "int", "100000"));
        assertEquals("python etl_data.py --ratings-csv /data/ratings.csv --max-row-limit 100000",
                etl.resolve(Map.of("ratings_csv", "/data/ratings.csv")).command());
        assertEquals("python etl_data.py --ratings-csv 'my data.csv' --max-row-limit abc",
                etl.resolve(Map.of("ratings_csv", "my data.csv", "max_row_limit", "abc")).command());
    }

    @Test
    void formatBracesFollowPythonsStrFormat() {
        EntryPoint braces = entryPoint("echo {{literal}} {a}{{b}} {{{a}}} }}{{", new Parameter("a", "string", null));
        assertEquals("echo {literal} X{b} {X} }{", braces.resolve(Map.of("a", "X")).command());
        EntryPoint dashed = entryPoint("run {l1-ratio}", new Parameter("l1-ratio", "float", "0.1"));
        assertEquals("run 0.1", dashed.resolve(Map.of()).command());
        assertEquals("echo '{a}'", entryPoint("echo {a}", new Parameter("a", "string", null))
                .resolve(Map.of("a", "{a}")).command());
    }

    @Test
    void fieldsThatAreNotDeclaredParametersAreRefusedByName() {
        EntryPoint typo = entryPoint("run {alpah}", new Parameter("alpha", "float", "1"));
        ProjectException e = assertThrows(ProjectException.class, () -> typo.resolve(Map.of("alpah", "2")));
        assertTrue(e.getMessage().contains("'alpah' is not a declared parameter"), e.getMessage());
    }

    @Test
    void unsupportedOrMalformedFieldsAreRefused() {
        Parameter a = new Parameter("a", "string", "x");
        for (String template : List.of("run {a!r}", "run {a:>5}", "run {}", "run {0}", "run {a.b}", "run {a[0]}",
                "run }", "run {", "run {a", "a}b", "run {a{b}}")) {
            assertThrows(ProjectException.class, () -> entryPoint(template, a).resolve(Map.of()), template);
        }
        assertTrue(assertThrows(ProjectException.class, () -> entryPoint("run {a!r}", a).resolve(Map.of()))
                .getMessage().contains("{a!r}"));
    }

    @Test
    void multiLineCommandsAreKeptAsWritten() {
        EntryPoint main = entryPoint("python main.py --als-max-iter {als_max_iter}\n  --max-row-limit {max_row_limit}",
                new Parameter("als_max_iter", "int", "10"), new Parameter("max_row_limit", "int", "100000"));
        assertEquals("python main.py --als-max-iter 10\n  --max-row-limit 100000", main.resolve(Map.of()).command());
    }

    private static EntryPoint entryPoint(String command, Parameter... parameters) {
        Map<String, Parameter> declared = new LinkedHashMap<>();
        for (Parameter parameter : parameters) {
            declared.put(parameter.name(), parameter);
        }
        return new EntryPoint("main", declared, command);
    }
}
