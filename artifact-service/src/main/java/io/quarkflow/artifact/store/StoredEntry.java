package io.quarkflow.artifact.store;

/** One child of a listed directory: its name (one segment), and its size when it is a file. */
public record StoredEntry(String name, boolean directory, long size) {
}
