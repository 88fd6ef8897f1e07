package io.quarkflow.tracking.domain;

import java.util.List;
import java.util.random.RandomGenerator;

/** Friendly generated run names in MLflow's shape: adjective-noun-number. */
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

    private RunNames() {
    }

    public static String generate(RandomGenerator random) {
        return ADJECTIVES.get(random.nextInt(ADJECTIVES.size())) + "-" + NOUNS.get(random.nextInt(NOUNS.size()))
                + "-" + random.nextInt(1000);
    }
}
