package io.quarkflow.projects.store;

import io.quarkflow.projects.domain.PagePosition;
import io.quarkflow.projects.domain.Submission;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** SQL for projects.submissions. */
@ApplicationScoped
public class SubmissionRepository {

    private static final String COLUMNS = "run_id, experiment_id, project_uri, version, git_commit, entry_point, "
            + "parameters, backend, backend_config, command, submitted_by, submitted_at, status, cancel_requested_at, "
            + "archive_sha256";

    public Uni<Void> insert(SqlClient client, Submission s) {
        return client.preparedQuery("insert into projects.submissions (" + COLUMNS + ") values "
                        + "($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)")
                .execute(Tuple.from(Arrays.asList(s.runId(), s.experimentId(), s.projectUri(), s.version(),
                        s.gitCommit(), s.entryPoint(), new JsonObject(new LinkedHashMap<>(s.parameters())),
                        s.backend(), new JsonObject(new LinkedHashMap<>(s.backendConfig())), s.command(),
                        s.submittedBy(), s.submittedAt(), s.status(), s.cancelRequestedAt(), s.archiveSha256())))
                .replaceWithVoid();
    }

    public Uni<Submission> find(SqlClient client, String runId) {
        return client.preparedQuery("select " + COLUMNS + " from projects.submissions where run_id = $1")
                .execute(Tuple.of(runId))
                .map(rows -> rows.size() == 0 ? null : submission(rows.iterator().next()));
    }

    /** Newest first; both filters optional. Returns up to {@code limit} rows. */
    public Uni<List<Submission>> list(SqlClient client, String experimentId, String status, PagePosition after, int limit) {
        return client.preparedQuery("select " + COLUMNS + " from projects.submissions"
                        + " where ($1::text is null or experiment_id = $1) and ($2::text is null or status = $2)"
                        + " and ($3::bigint is null or (submitted_at, run_id) < ($3, $4))"
                        + " order by submitted_at desc, run_id desc limit $5")
                .execute(Tuple.from(Arrays.asList(experimentId, status,
                        after == null ? null : after.submittedAt(),
                        after == null ? null : after.id(), limit)))
                .map(SubmissionRepository::submissions);
    }

    /**
     * The newest FINISHED run of this project at the same version (Git commit, or archive content) with the same
     * entry point and parameters in this experiment, which a workflow step may reuse; null when there is none.
     */
    public Uni<String> finishedLike(SqlClient client, Submission s) {
        String version = s.gitCommit() != null ? s.gitCommit() : s.archiveSha256();
        if (version == null) {
            return Uni.createFrom().nullItem(); // a plain directory has no version to compare
        }
        return client.preparedQuery("select run_id from projects.submissions where experiment_id = $1"
                        + " and entry_point = $2 and project_uri = $3 and status = 'FINISHED' and parameters = $4"
                        + " and coalesce(git_commit, archive_sha256) = $5 order by submitted_at desc limit 1")
                .execute(Tuple.of(s.experimentId(), s.entryPoint(), s.projectUri(),
                        new JsonObject(new LinkedHashMap<>(s.parameters())), version))
                .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getString("run_id"));
    }

    /** Marks the cancel; false when it had been asked for already (the caller then publishes nothing). */
    public Uni<Boolean> requestCancel(SqlClient client, String runId, long now) {
        return client.preparedQuery("update projects.submissions set cancel_requested_at = $2"
                        + " where run_id = $1 and cancel_requested_at is null")
                .execute(Tuple.of(runId, now))
                .map(rows -> rows.rowCount() == 1);
    }

    /** The run events' status; a run that is no project run changes nothing. */
    public Uni<Void> updateStatus(SqlClient client, String runId, String status) {
        return client.preparedQuery("update projects.submissions set status = $2 where run_id = $1")
                .execute(Tuple.of(runId, status))
                .replaceWithVoid();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> backendConfig(JsonObject json) {
        return json.mapTo(LinkedHashMap.class); // nested objects as maps, not Vert.x JsonObjects
    }

    private static List<Submission> submissions(RowSet<Row> rows) {
        List<Submission> result = new ArrayList<>(rows.size());
        for (Row row : rows) {
            result.add(submission(row));
        }
        return result;
    }

    private static Submission submission(Row row) {
        Map<String, String> parameters = new LinkedHashMap<>();
        row.getJsonObject("parameters").forEach(entry -> parameters.put(entry.getKey(), (String) entry.getValue()));
        return new Submission(row.getString("run_id"), row.getString("experiment_id"), row.getString("project_uri"),
                row.getString("version"), row.getString("git_commit"), row.getString("entry_point"), parameters,
                row.getString("backend"), backendConfig(row.getJsonObject("backend_config")), row.getString("command"),
                row.getString("submitted_by"), row.getLong("submitted_at"), row.getString("status"),
                row.getLong("cancel_requested_at"), row.getString("archive_sha256"));
    }
}
