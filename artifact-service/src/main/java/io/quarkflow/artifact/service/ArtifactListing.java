package io.quarkflow.artifact.service;

import io.quarkflow.artifact.domain.FileInfo;

import java.util.List;

/** One level under a run's or a logged model's artifact root; each file's path is relative to that root. */
public record ArtifactListing(String rootUri, List<FileInfo> files) {
}
