package io.quarkflow.tracking.domain;

import io.quarkflow.mlflow.errors.MlflowException;
import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;

/** How a new run gets its name: given, tagged, or generated in MLflow's shape (adjective-noun-number). */
public final class RunNames {

    private static final List<String> ADJECTIVES = List.of("able", "bold", "brave", "bright", "calm", "clever",
            "crisp", "curious", "daring", "eager", "fair", "fleet", "gentle", "glad", "grand", "honest", "keen",
            "kind", "lively", "lucid", "merry", "mighty", "nimble", "noble", "patient", "polite", "proud", "quick",
            "quiet", "rare", "secret", "sharp", "shy", "silent", "smooth", "steady", "sunny", "swift", "tidy", "vivid",
            "warm", "wise", "witty", "zealous");
    private static final List<String> NOUNS = List.of("ant", "bass", "bat", "bear", "bee", "bird", "boar", "cat",
            "colt", "crab", "crane", "crow", "deer", "dove", "eel", "elk", "finch", "fish", "fox", "frog", "gnat",
            "goat", "hare", "hawk", "hen", "horse", "jay", "koi", "lark", "lion", "lynx", "mole", "moth", "newt", "owl",
            "ox", "panda", "pig", "ram", "seal", "shark", "slug", "snail", "squid", "stag", "swan", "toad", "trout",
            "whale", "wolf", "wren", "yak");

    private static final RandomGenerator RANDOM = new SecureRandom();

    private RunNames() {
    }

    /** MLflow's rule: run_name and the mlflow.runName tag must agree; either names the run, else one is generated. */
    public static String resolve(String runName, List<RunTag> tags) {
        Optional<String> tagged = RunTag.runName(tags);
        boolean named = runName != null && !runName.isEmpty();
        if (named && tagged.isPresent() && !tagged.get().equals(runName)) {
            throw MlflowException.invalidParameter("Both 'run_name' argument and 'mlflow.runName' tag are specified, "
                    + "but with different values (run_name='" + runName + "', mlflow.runName='" + tagged.get() + "').");
        }
        if (named) {
            return runName;
        }
        return tagged.filter(value -> !value.isEmpty()).orElseGet(RunNames::generate);
    }

    /** A fresh name; MLflow names unnamed logged models the same way as runs. */
    public static String generate() {
        return generate(RANDOM);
    }

    public static String generate(RandomGenerator random) {
        return ADJECTIVES.get(random.nextInt(ADJECTIVES.size())) + "-" + NOUNS.get(random.nextInt(NOUNS.size()))
                + "-" + random.nextInt(1000);
    }
}
