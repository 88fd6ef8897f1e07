package io.quarkflow.tracking.api;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.pgclient.PgException;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Collections;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The cost of one request is bounded: a statement timeout on every connection, and at most 50 filter clauses. */
@QuarkusTest
class StatementTimeoutTest {

    @Inject
    Pool pool;

    @Test
    void everyConnectionHasTheStatementTimeoutAndACancelledStatementIsA503() {
        String setting = pool.query("show statement_timeout").execute().await().atMost(Duration.ofSeconds(10))
                .iterator().next().getString(0);
        assertEquals("30s", setting);

        PgException cancelled = assertThrows(PgException.class, () -> pool.withTransaction(conn ->
                conn.query("set local statement_timeout = 50").execute()
                        .chain(() -> conn.query("select pg_sleep(2)").execute()))
                .await().atMost(Duration.ofSeconds(10)));
        assertEquals("57014", cancelled.getSqlState());
        Response answer = new QueryTimeoutMapper().database(cancelled);
        assertEquals(503, answer.getStatus());
    }

    @Test
    void aFilterOfMoreThanFiftyClausesIsRefused() {
        String filter = String.join(" and ", Collections.nCopies(51, "params.a = '1'"));
        given().contentType("application/json").body("{\"experiment_ids\": [\"0\"], \"filter\": \"" + filter + "\"}")
                .post("/api/2.0/mlflow/runs/search").then().statusCode(400)
                .body("error_code", equalTo("INVALID_PARAMETER_VALUE"))
                .body("message", equalTo("Invalid filter string: more than 50 clauses joined by AND."));
    }
}
