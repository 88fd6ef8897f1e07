package io.quarkflow.sample.json.bad.events;

/** An event contract: written and read as JSON wherever it is used. */
public record Happened(String what) {
}
