"""Experiments, runs, params, metrics and tags through the fluent API and MlflowClient."""

import multiprocessing
import time

import mlflow
import pytest
from mlflow.entities import Metric, Param, RunTag, ViewType
from mlflow.exceptions import MlflowException

from conftest import unique_name


def history(client, run_id, key):
    return sorted((m.step, m.value) for m in client.get_metric_history(run_id, key))


def test_fluent_run_logs_params_metrics_and_tags(experiment, client):
    with mlflow.start_run(run_name="fluent", tags={"team": "vision", "stage": "dev"}) as run:
        mlflow.log_param("alpha", 0.5)
        mlflow.log_params({"optimizer": "adam", "layers": 3})
        for step in range(5):
            mlflow.log_metric("loss", 1.0 / (step + 1), step=step)
        mlflow.log_metrics({"accuracy": 0.75, "f1": 0.5}, step=4)
        mlflow.set_tags({"stage": "prod", "owner": "pytest"})
        mlflow.set_tag("note", "unicode ✓ ü")

    got = client.get_run(run.info.run_id)
    assert got.info.status == "FINISHED"
    assert got.info.experiment_id == experiment.experiment_id
    assert got.info.run_name == "fluent"
    assert got.info.start_time <= got.info.end_time
    assert got.data.params == {"alpha": "0.5", "optimizer": "adam", "layers": "3"}
    assert got.data.metrics == {"loss": 0.2, "accuracy": 0.75, "f1": 0.5}
    tags = got.data.tags
    assert {k: tags.get(k) for k in ("team", "stage", "owner", "note", "mlflow.runName")} == {
        "team": "vision", "stage": "prod", "owner": "pytest", "note": "unicode ✓ ü", "mlflow.runName": "fluent"}
    assert tags["mlflow.source.type"] == "LOCAL"
    assert history(client, run.info.run_id, "loss") == [(s, 1.0 / (s + 1)) for s in range(5)]
    assert history(client, run.info.run_id, "accuracy") == [(4, 0.75)]


def test_run_resumed_by_id_keeps_what_it_had_and_adds(experiment, client):
    first = mlflow.start_run(run_name="resumable")
    mlflow.log_param("epochs", 2)
    mlflow.log_metric("loss", 0.9, step=0)
    mlflow.end_run()
    run_id = first.info.run_id
    assert client.get_run(run_id).info.status == "FINISHED"

    with mlflow.start_run(run_id=run_id) as resumed:
        assert resumed.info.run_id == run_id
        assert client.get_run(run_id).info.status == "RUNNING"
        mlflow.log_metric("loss", 0.4, step=1)
        mlflow.set_tag("resumed", "yes")

    got = client.get_run(run_id)
    assert got.info.status == "FINISHED"
    assert got.info.run_name == "resumable"
    assert got.data.params == {"epochs": "2"}
    assert got.data.tags["resumed"] == "yes"
    assert history(client, run_id, "loss") == [(0, 0.9), (1, 0.4)]


def test_client_creates_logs_a_batch_and_terminates(client):
    name = unique_name("py-client")
    experiment_id = client.create_experiment(name, tags={"purpose": "e2e"})
    experiment = client.get_experiment_by_name(name)
    assert experiment.experiment_id == experiment_id
    assert experiment.lifecycle_stage == "active"
    assert experiment.tags["purpose"] == "e2e"
    assert experiment.artifact_location.startswith("mlflow-artifacts:/")

    run = client.create_run(experiment_id, run_name="batch", tags={"source": "client"})
    run_id = run.info.run_id
    start = int(time.time() * 1000)
    client.log_batch(run_id,
                     metrics=[Metric("rmse", 10.0 - i, start + i, i) for i in range(10)],
                     params=[Param("depth", "6"), Param("criterion", "gini")],
                     tags=[RunTag("dataset", "iris")])
    client.log_metric(run_id, "lr", 0.001, step=7)
    client.set_terminated(run_id, "FAILED")

    got = client.get_run(run_id)
    assert got.info.status == "FAILED"
    assert got.info.run_name == "batch"
    assert got.data.params == {"depth": "6", "criterion": "gini"}
    assert got.data.metrics == {"rmse": 1.0, "lr": 0.001}
    assert got.data.tags["dataset"] == "iris" and got.data.tags["source"] == "client"
    points = sorted(client.get_metric_history(run_id, "rmse"), key=lambda m: m.step)
    assert [(m.step, m.value, m.timestamp) for m in points] == [(i, 10.0 - i, start + i) for i in range(10)]
    assert history(client, run_id, "lr") == [(7, 0.001)]


def test_unknown_ids_and_changed_params_are_refused(experiment, client):
    with pytest.raises(MlflowException) as unknown_run:
        client.get_run("0123456789abcdef0123456789abcdef")
    assert unknown_run.value.error_code == "RESOURCE_DOES_NOT_EXIST"
    with pytest.raises(MlflowException) as unknown_experiment:
        client.get_experiment("987654321")
    assert unknown_experiment.value.error_code == "RESOURCE_DOES_NOT_EXIST"
    assert client.get_experiment_by_name(unique_name("py-absent")) is None

    with mlflow.start_run() as run:
        mlflow.log_param("seed", 1)
        with pytest.raises(MlflowException) as changed:
            mlflow.log_param("seed", 2)
        assert changed.value.error_code == "INVALID_PARAMETER_VALUE"
    assert client.get_run(run.info.run_id).data.params == {"seed": "1"}


def test_metric_history_comes_in_mlflows_order(experiment, client):
    with mlflow.start_run() as run:
        pass
    run_id = run.info.run_id
    client.log_batch(run_id, metrics=[Metric("m", 3.0, 300, 1), Metric("m", 2.0, 100, 2), Metric("m", 1.0, 200, 0),
                                      Metric("m", 0.5, 100, 2)])
    points = [(m.timestamp, m.step, m.value) for m in client.get_metric_history(run_id, "m")]
    assert points == [(100, 2, 0.5), (100, 2, 2.0), (200, 0, 1.0), (300, 1, 3.0)]  # timestamp, step, value
    assert client.get_run(run_id).data.metrics["m"] == 2.0  # the latest is the greatest (step, timestamp, value)


def test_refusals_are_worded_as_mlflows(experiment, client):
    with mlflow.start_run() as run:
        mlflow.log_param("p", "1")
    run_id = run.info.run_id
    with pytest.raises(MlflowException) as changed:
        client.log_batch(run_id, params=[Param("p", "9")])
    assert (f"Changing param values is not allowed. Params were already logged='[{{'key': 'p', 'old_value': '1', "
            f"'new_value': '9'}}]' for run ID='{run_id}'.") in changed.value.message
    with pytest.raises(MlflowException) as duplicated:
        client.log_batch(run_id, params=[Param("q", "1"), Param("q", "2")])
    assert "Duplicate parameter keys have been submitted: ['q']." in duplicated.value.message
    with pytest.raises(MlflowException) as bad_order:
        client.search_runs([experiment.experiment_id], order_by=["metrics.m UP"])
    assert "Invalid ordering key in order_by clause 'metrics.m UP'." in bad_order.value.message
    with pytest.raises(MlflowException) as bad_filter:
        client.search_runs([experiment.experiment_id], filter_string="params.p > 1")
    assert "Expected a quoted string value for parameter (e.g. 'my-value'). Got value 1" in bad_filter.value.message


def test_run_name_and_its_tag_stay_one(experiment, client):
    run_id = client.create_run(experiment.experiment_id, run_name="first").info.run_id
    client.set_tag(run_id, "mlflow.runName", "second")
    got = client.get_run(run_id)
    assert (got.info.run_name, got.data.tags["mlflow.runName"]) == ("second", "second")
    client.update_run(run_id, name="third")
    got = client.get_run(run_id)
    assert (got.info.run_name, got.data.tags["mlflow.runName"]) == ("third", "third")
    assert [r.info.run_id for r in client.search_runs([experiment.experiment_id], "attributes.run_name = 'third'")] == [
        run_id]


def test_deleted_runs_and_experiments_leave_searches_until_restored(experiment, client):
    kept = client.create_run(experiment.experiment_id, run_name="kept").info.run_id
    deleted = client.create_run(experiment.experiment_id, run_name="deleted").info.run_id
    client.delete_run(deleted)
    assert client.get_run(deleted).info.lifecycle_stage == "deleted"
    assert [r.info.run_id for r in client.search_runs([experiment.experiment_id])] == [kept]
    only_deleted = client.search_runs([experiment.experiment_id], run_view_type=ViewType.DELETED_ONLY)
    assert [r.info.run_id for r in only_deleted] == [deleted]
    client.restore_run(deleted)
    assert len(client.search_runs([experiment.experiment_id], run_view_type=ViewType.ACTIVE_ONLY)) == 2

    client.delete_experiment(experiment.experiment_id)
    assert client.get_experiment(experiment.experiment_id).lifecycle_stage == "deleted"
    with pytest.raises(MlflowException, match="deleted"):
        mlflow.set_experiment(experiment.name)
    assert client.search_experiments(filter_string=f"name = '{experiment.name}'") == []
    client.restore_experiment(experiment.experiment_id)
    assert mlflow.set_experiment(experiment.name).experiment_id == experiment.experiment_id


def test_search_runs_filters_orders_and_pages(experiment, client):
    trials = [("a", 0.70), ("b", 0.90), ("a", 0.80), ("b", 0.95), ("a", 0.60)]
    for i, (family, accuracy) in enumerate(trials):
        with mlflow.start_run(run_name=f"trial-{i}"):
            mlflow.log_param("family", family)
            mlflow.log_metric("accuracy", accuracy)
    experiment_ids = [experiment.experiment_id]

    frame = mlflow.search_runs(experiment_ids, filter_string="metrics.accuracy >= 0.7 and params.family = 'a'",
                               order_by=["metrics.accuracy DESC"])
    assert list(frame["tags.mlflow.runName"]) == ["trial-2", "trial-0"]
    assert list(frame["metrics.accuracy"]) == [0.80, 0.70]

    first = client.search_runs(experiment_ids, "attributes.run_name LIKE 'trial-%' and metrics.accuracy < 0.9",
                               order_by=["metrics.accuracy ASC"], max_results=2)
    assert [r.info.run_name for r in first] == ["trial-4", "trial-0"]
    assert first.token
    second = client.search_runs(experiment_ids, "attributes.run_name LIKE 'trial-%' and metrics.accuracy < 0.9",
                                order_by=["metrics.accuracy ASC"], max_results=2, page_token=first.token)
    assert [r.info.run_name for r in second] == ["trial-2"]
    assert not second.token

    by_tag = client.search_runs(experiment_ids, "tags.mlflow.runName = 'trial-3'")
    assert [r.data.metrics["accuracy"] for r in by_tag] == [0.95]
    assert client.search_runs(experiment_ids, "params.family = 'c'") == []


def log_from_worker(start, experiment_id, shared_run_id, worker, steps):
    """Runs in a forked process: its own run, a share of the shared run's points, and a batch."""
    client = mlflow.MlflowClient()
    start.wait(timeout=60)  # every worker starts logging at once
    with mlflow.start_run(experiment_id=experiment_id, run_name=f"worker-{worker}") as run:
        mlflow.log_param("worker", worker)
        for step in range(steps):
            mlflow.log_metric("loss", worker + step / 1000, step=step)
            client.log_metric(shared_run_id, "throughput", worker * 1000 + step, step=worker * 1000 + step)
        client.log_batch(run.info.run_id, metrics=[Metric("batch", float(i), 1_700_000_000_000 + i, i)
                                                   for i in range(500)])


def test_concurrent_processes_log_every_point(experiment, client):
    workers, steps = 4, 20
    shared = client.create_run(experiment.experiment_id, run_name="shared").info.run_id
    # Forked, as a training script's multiprocessing would be: the children need not import mlflow again.
    context = multiprocessing.get_context("fork")
    start = context.Barrier(workers)
    processes = [context.Process(target=log_from_worker, args=(start, experiment.experiment_id, shared, w, steps))
                 for w in range(workers)]
    try:
        for process in processes:
            process.start()
        for process in processes:
            process.join(timeout=90)
    finally:
        for process in [p for p in processes if p.is_alive()]:
            process.kill()
    assert [p.exitcode for p in processes] == [0] * workers  # a worker's traceback is in the captured stderr
    client.set_terminated(shared)

    runs = client.search_runs([experiment.experiment_id], "attributes.run_name LIKE 'worker-%'", max_results=100)
    assert sorted(r.data.params["worker"] for r in runs) == [str(w) for w in range(workers)]
    for run in runs:
        worker = int(run.data.params["worker"])
        assert run.info.status == "FINISHED"
        assert history(client, run.info.run_id, "loss") == [(s, worker + s / 1000) for s in range(steps)]
        assert history(client, run.info.run_id, "batch") == [(i, float(i)) for i in range(500)]
    assert history(client, shared, "throughput") == sorted(
        (w * 1000 + s, float(w * 1000 + s)) for w in range(workers) for s in range(steps))
