package io.quarkflow.artifact.service;

import io.quarkflow.artifact.service.ArtifactRoots.ArtifactRoot;
import io.quarkflow.artifact.store.ArtifactStorage;
import io.smallrye.mutiny.Uni;

/** Listing and opening under a run's or a logged model's artifact root, with paths relative to that root. */
final class RootedArtifacts {

    private RootedArtifacts() {
    }

    /** {@code relative} is a validated path, "" for the root itself. */
    static Uni<ArtifactListing> list(ArtifactStorage storage, ArtifactRoot root, String relative) {
        return Workers.run(() -> storage.list(root.keyOf(relative)))
                .map(entries -> new ArtifactListing(root.artifactUri(),
                        ArtifactProxyService.fileInfos(relative, entries)));
    }

    /** Emits on a worker thread, where the content may be streamed. */
    static Uni<Download> open(ArtifactStorage storage, ArtifactRoot root, String relative) {
        return Workers.run(() -> Download.of(root.keyOf(relative), storage.read(root.keyOf(relative))));
    }
}
