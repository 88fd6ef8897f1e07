package io.quarkflow.tracking.api;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.quarkflow.tracking.api.TrackingApi.getExperiment;
import static io.quarkflow.tracking.api.TrackingApi.invalid;
import static io.quarkflow.tracking.api.TrackingApi.json;
import static io.quarkflow.tracking.api.TrackingApi.post;
import static io.quarkflow.tracking.api.TrackingApi.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** experiments/search filters on every attribute and on tags, and every ordering MLflow allows. */
@QuarkusTest
class SearchExperimentsTest {

    private String prefix;
    private String first;
    private String second;
    private String third;

    @BeforeEach
    void seed() throws InterruptedException {
        prefix = unique("xsearch");
        first = create("a", "vision");
        Thread.sleep(5);
        second = create("b", "nlp");
        Thread.sleep(5);
        third = create("c", "Vision");
    }

    @Test
    void filtersByCreationAndUpdateTime() {
        long secondCreated = getExperiment(second).getLong("experiment.creation_time");
        assertEquals(List.of(third, second), ids("name LIKE '" + prefix + "%' and creation_time >= " + secondCreated,
                List.of()));
        assertEquals(List.of(first), ids("name LIKE '" + prefix + "%' and attributes.creation_time < " + secondCreated,
                List.of()));
        post("experiments/update", Map.of("experiment_id", first, "new_name", prefix + "-a2")).statusCode(200);
        long renamed = getExperiment(first).getLong("experiment.last_update_time");
        assertEquals(List.of(first), ids("name LIKE '" + prefix + "%' and last_update_time >= " + renamed, List.of()));
    }

    @Test
    void filtersByNameAndTagsCaseSensitivelyOrNot() {
        assertEquals(List.of(second), ids("name = '" + prefix + "-b'", List.of()));
        assertEquals(List.of(), ids("name = '" + prefix + "-B'", List.of()));
        assertEquals(List.of(second), ids("name ILIKE '" + prefix.toUpperCase() + "-B'", List.of()));
        assertEquals(List.of(third, first), ids("name LIKE '" + prefix + "%' and tags.team ILIKE 'VISION'", List.of()));
        assertEquals(List.of(first), ids("name LIKE '" + prefix + "%' and tags.team = 'vision'", List.of()));
        assertEquals(List.of(third, second), ids("name LIKE '" + prefix + "%' and tags.team != 'vision'", List.of()));
    }

    @Test
    void ordersByEveryAttributeWithExperimentIdAsTieBreaker() {
        String filter = "name LIKE '" + prefix + "%'";
        assertEquals(List.of(third, second, first), ids(filter, List.of()));
        assertEquals(List.of(first, second, third), ids(filter, List.of("creation_time ASC")));
        assertEquals(List.of(third, second, first), ids(filter, List.of("name DESC")));
        assertEquals(List.of(first, second, third), ids(filter, List.of("experiment_id")));
        assertEquals(List.of(third, second, first), ids(filter, List.of("attributes.last_update_time DESC")));
    }

    @Test
    void refusesFiltersAndOrderingsMlflowRefuses() {
        invalid(post("experiments/search", Map.of("filter", "metrics.x > 1")));
        invalid(post("experiments/search", Map.of("filter", "creation_time LIKE '1%'")));
        invalid(post("experiments/search", Map.of("filter", "name > 'a'")));
        invalid(post("experiments/search", Map.of("order_by", List.of("tags.team"))));
        invalid(post("experiments/search", Map.of("order_by", List.of("name SIDEWAYS"))));
    }

    private String create(String suffix, String team) {
        return post("experiments/create", Map.of("name", prefix + "-" + suffix,
                "tags", List.of(Map.of("key", "team", "value", team)))).statusCode(200).extract().path("experiment_id");
    }

    private List<String> ids(String filter, List<String> orderBy) {
        List<String> ids = json(post("experiments/search", Map.of("filter", filter, "order_by", orderBy,
                "view_type", "ALL"))).getList("experiments.experiment_id");
        return ids == null ? List.of() : ids;
    }
}
