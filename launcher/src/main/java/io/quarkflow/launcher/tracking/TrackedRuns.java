package io.quarkflow.launcher.tracking;

import io.quarkflow.events.ProjectRunTags;
import io.quarkflow.tracking.client.TrackingClient;
import io.quarkflow.tracking.client.TrackingMessages.Experiment;
import io.quarkflow.tracking.client.TrackingMessages.Run;
import io.quarkflow.tracking.client.TrackingMessages.RunTag;
import io.quarkflow.tracking.client.TrackingMessages.SearchExperimentsRequest;
import io.quarkflow.tracking.client.TrackingMessages.SearchRunsRequest;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.rest.client.inject.RestClient;

import java.util.List;
import java.util.Optional;

/**
 * Finds the runs a restarted launcher must look at: those tracking-service still says are RUNNING on a backend.
 * MLflow's search needs experiment ids, so every experiment is listed first, then searched in groups.
 */
@ApplicationScoped
public class TrackedRuns {

    /** The tag projects-service sets on a project run: {@code local} or {@code kubernetes}. */
    public static final String BACKEND_TAG = ProjectRunTags.BACKEND;

    private static final long EXPERIMENT_PAGE = 1000;
    private static final int RUN_PAGE = 1000;
    private static final int EXPERIMENTS_PER_SEARCH = 50;

    private final TrackingClient tracking;

    public TrackedRuns(@RestClient TrackingClient tracking) {
        this.tracking = tracking;
    }

    /** Runs whose status is RUNNING and whose {@value #BACKEND_TAG} is this backend, deleted ones included. */
    public Multi<Run> running(String backend) {
        String filter = "tags.\"" + BACKEND_TAG + "\" = '" + backend + "' and attributes.status = 'RUNNING'";
        return experimentIds(null)
                .group().intoLists().of(EXPERIMENTS_PER_SEARCH)
                .onItem().transformToMultiAndConcatenate(ids -> runs(ids, filter, null));
    }

    /** A tag's value on the run, if set. */
    public static Optional<String> tag(Run run, String key) {
        if (run.data() == null || run.data().tags() == null) {
            return Optional.empty();
        }
        return run.data().tags().stream().filter(tag -> key.equals(tag.key())).map(RunTag::value).findFirst();
    }

    private Multi<String> experimentIds(String pageToken) {
        return tracking.searchExperiments(new SearchExperimentsRequest(null, "ALL", EXPERIMENT_PAGE, pageToken))
                .onItem().transformToMulti(page -> {
                    Multi<String> ids = Multi.createFrom().iterable(page.experiments() == null ? List.of()
                            : page.experiments().stream().map(Experiment::experimentId).toList());
                    return page.nextPageToken() == null || page.nextPageToken().isEmpty() ? ids
                            : Multi.createBy().concatenating().streams(ids, experimentIds(page.nextPageToken()));
                });
    }

    private Multi<Run> runs(List<String> experimentIds, String filter, String pageToken) {
        Uni<Multi<Run>> page = tracking.searchRuns(new SearchRunsRequest(experimentIds, filter, "ALL", RUN_PAGE,
                pageToken)).map(response -> {
                    Multi<Run> runs = Multi.createFrom().iterable(response.runs() == null ? List.of() : response.runs());
                    return response.nextPageToken() == null || response.nextPageToken().isEmpty() ? runs
                            : Multi.createBy().concatenating().streams(runs, runs(experimentIds, filter,
                                    response.nextPageToken()));
                });
        return page.onItem().transformToMulti(runs -> runs);
    }
}
