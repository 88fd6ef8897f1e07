package io.quarkflow.tracking.domain;

import java.util.List;

public record DatasetInput(List<InputTag> tags, Dataset dataset) {
}
