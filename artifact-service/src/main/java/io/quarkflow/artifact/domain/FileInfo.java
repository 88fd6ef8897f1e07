package io.quarkflow.artifact.domain;

/** MLflow's FileInfo: a file with its size, or a directory (no size). */
public record FileInfo(String path, boolean isDir, Long fileSize) {

    public static FileInfo directory(String path) {
        return new FileInfo(path, true, null);
    }

    public static FileInfo file(String path, long size) {
        return new FileInfo(path, false, size);
    }
}
