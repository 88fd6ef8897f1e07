package io.quarkflow.tracking.service;

import java.util.List;

/** One page of results and the token for the next page, or null when there is none. */
public record Page<T>(List<T> items, String nextPageToken) {
}
