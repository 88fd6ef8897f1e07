"""The authenticating gateway as the client meets it: MLFLOW_TRACKING_TOKEN becomes a Bearer token,
MLFLOW_TRACKING_USERNAME/PASSWORD HTTP Basic; read-only identities read and change nothing."""

import time

import mlflow
import pytest
import requests
from mlflow.exceptions import MlflowException

from conftest import unique_name

FAST_SECONDS = 10  # a refusal is one round trip; retrying it would take minutes


def test_user_and_password_write_and_the_token_reads_it(gateway, credentials, client):
    credentials(username=gateway.username, password=gateway.password)
    name = unique_name("py-basic-auth")
    experiment_id = mlflow.create_experiment(name)
    with mlflow.start_run(experiment_id=experiment_id) as run:
        mlflow.log_param("identity", "user")
        mlflow.log_metric("score", 0.5, step=3)
        mlflow.log_text("written with a password", "proof.txt")

    credentials(token=gateway.token)
    got = client.get_run(run.info.run_id)
    assert got.info.experiment_id == experiment_id
    assert got.data.params == {"identity": "user"}
    assert got.data.metrics == {"score": 0.5}
    assert mlflow.artifacts.load_text(f"runs:/{run.info.run_id}/proof.txt") == "written with a password"
    assert client.get_experiment_by_name(name).experiment_id == experiment_id


@pytest.mark.parametrize("identity", ["wrong token", "wrong password", "unknown user", "none"])
def test_bad_credentials_fail_at_once_with_401(gateway, credentials, identity):
    credentials(**{
        "wrong token": {"token": "qf-e2e-token-nobody-issued"},
        "wrong password": {"username": gateway.username, "password": gateway.password + "-wrong"},
        "unknown user": {"username": "mallory", "password": gateway.password},
        "none": {},
    }[identity])
    started = time.monotonic()
    with pytest.raises(MlflowException) as refused:
        mlflow.MlflowClient().search_experiments()
    assert time.monotonic() - started < FAST_SECONDS
    assert refused.value.error_code == "UNAUTHENTICATED"
    assert refused.value.get_http_status_code() == 401


def test_reader_reads_but_cannot_write(experiment, gateway, credentials, client, tmp_path):
    with mlflow.start_run(run_name="owned-by-editor") as run:
        mlflow.log_param("p", "1")
        mlflow.log_metric("m", 1.0)
    run_id = run.info.run_id
    upload = tmp_path / "upload.txt"
    upload.write_text("nope")

    credentials(token=gateway.reader_token)
    reader = mlflow.MlflowClient()
    assert reader.get_run(run_id).data.params == {"p": "1"}
    assert reader.get_experiment_by_name(experiment.name).experiment_id == experiment.experiment_id
    assert [r.info.run_id for r in reader.search_runs([experiment.experiment_id], "params.p = '1'")] == [run_id]
    assert [(m.step, m.value) for m in reader.get_metric_history(run_id, "m")] == [(0, 1.0)]

    writes = {
        "create experiment": lambda: reader.create_experiment(unique_name("py-reader")),
        "create run": lambda: reader.create_run(experiment.experiment_id),
        "log metric": lambda: reader.log_metric(run_id, "m", 2.0, step=1),
        "set tag": lambda: reader.set_tag(run_id, "written-by", "reader"),
        "terminate": lambda: reader.set_terminated(run_id, "FAILED"),
        "delete run": lambda: reader.delete_run(run_id),
    }
    for what, write in writes.items():
        with pytest.raises(MlflowException) as refused:
            write()
        assert (what, refused.value.error_code, refused.value.get_http_status_code()) == (
            what, "PERMISSION_DENIED", 403)
    with pytest.raises(requests.HTTPError) as upload_refused:
        reader.log_artifact(run_id, str(upload))
    assert upload_refused.value.response.status_code == 403

    credentials(token=gateway.token)
    got = client.get_run(run_id)
    assert (got.info.status, got.info.lifecycle_stage) == ("FINISHED", "active")
    assert "written-by" not in got.data.tags
    assert [(m.step, m.value) for m in client.get_metric_history(run_id, "m")] == [(0, 1.0)]
    assert client.list_artifacts(run_id) == []
