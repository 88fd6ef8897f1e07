"""scikit-learn: autologging, and models logged and loaded back."""

import json

import mlflow
import numpy as np
import pytest
from sklearn.datasets import load_iris
from sklearn.linear_model import LinearRegression, LogisticRegression

from conftest import MLFLOW3


@pytest.fixture
def regression():
    features = np.random.default_rng(7).normal(size=(20, 2))
    return features, features @ np.array([1.5, -2.0]) + 3.0


@pytest.fixture
def autolog():
    mlflow.sklearn.autolog(log_models=False, silent=True)
    yield
    mlflow.sklearn.autolog(disable=True)


def test_sklearn_autolog_logs_params_and_metrics(experiment, client, autolog):
    features, labels = load_iris(return_X_y=True)
    with mlflow.start_run() as run:
        model = LogisticRegression(C=0.5, max_iter=300).fit(features, labels)

    got = client.get_run(run.info.run_id)
    assert got.data.params["C"] == "0.5"
    assert got.data.params["max_iter"] == "300"
    assert got.data.tags["estimator_name"] == "LogisticRegression"
    assert got.data.metrics["training_accuracy_score"] == pytest.approx(model.score(features, labels))
    assert 0.9 < got.data.metrics["training_accuracy_score"] <= 1.0
    assert len(got.inputs.dataset_inputs) == 1  # log_datasets is on: runs/log-inputs went through


@pytest.mark.skipif(MLFLOW3, reason="MLflow 3 logs a model as a logged model; see test_log_model_and_load_it_back")
def test_log_model_in_the_run_and_load_it_back(experiment, client, regression):
    features, labels = regression
    model = LinearRegression().fit(features, labels)
    with mlflow.start_run() as run:
        info = mlflow.sklearn.log_model(model, artifact_path="model", pip_requirements=["scikit-learn"])

    assert info.model_uri == f"runs:/{run.info.run_id}/model"
    [logged] = json.loads(client.get_run(run.info.run_id).data.tags["mlflow.log-model.history"])
    assert (logged["run_id"], logged["artifact_path"]) == (run.info.run_id, "model")
    assert "sklearn" in logged["flavors"]
    loaded = mlflow.sklearn.load_model(f"runs:/{run.info.run_id}/model")
    np.testing.assert_array_equal(loaded.coef_, model.coef_)
    np.testing.assert_allclose(loaded.predict(features), labels)
    pyfunc = mlflow.pyfunc.load_model(info.model_uri)
    np.testing.assert_array_equal(pyfunc.predict(features[:3]), model.predict(features[:3]))


@pytest.mark.mlflow3
def test_log_model_and_load_it_back(experiment, client, regression):
    features, labels = regression
    model = LinearRegression().fit(features, labels)
    with mlflow.start_run() as run:
        info = mlflow.sklearn.log_model(model, name="model", pip_requirements=["scikit-learn"])

    assert info.model_id.startswith("m-")
    assert info.model_uri == f"models:/{info.model_id}"
    logged = client.get_logged_model(info.model_id)
    ready = mlflow.entities.LoggedModelStatus.READY
    assert (logged.name, logged.source_run_id, logged.status) == ("model", run.info.run_id, ready)
    assert [o.model_id for o in client.get_run(run.info.run_id).outputs.model_outputs] == [info.model_id]
    by_run = mlflow.sklearn.load_model(f"runs:/{run.info.run_id}/model")
    np.testing.assert_array_equal(by_run.coef_, model.coef_)
    np.testing.assert_allclose(by_run.predict(features), labels)
    by_id = mlflow.pyfunc.load_model(f"models:/{info.model_id}")
    np.testing.assert_array_equal(by_id.predict(features[:3]), model.predict(features[:3]))


@pytest.mark.mlflow3
def test_search_logged_models(experiment, client):
    with mlflow.start_run() as run:
        ids = {}
        for name, alpha in (("ridge", "0.1"), ("lasso", "0.5")):
            model = client.create_logged_model(experiment.experiment_id, name=name, source_run_id=run.info.run_id,
                                               params={"alpha": alpha}, tags={"family": "linear"})
            client.finalize_logged_model(model.model_id, mlflow.entities.LoggedModelStatus.READY)
            ids[name] = model.model_id

    found = mlflow.search_logged_models(experiment_ids=[experiment.experiment_id], filter_string="name = 'lasso'",
                                        output_format="list")
    assert [(m.model_id, m.params, m.tags.get("family")) for m in found] == [(ids["lasso"], {"alpha": "0.5"}, "linear")]
    newest_first = mlflow.search_logged_models(experiment_ids=[experiment.experiment_id], output_format="list",
                                               order_by=[{"field_name": "creation_time", "ascending": False}])
    assert [m.name for m in newest_first] == ["lasso", "ridge"]
    assert all(m.source_run_id == run.info.run_id for m in newest_first)
    assert mlflow.search_logged_models(experiment_ids=[experiment.experiment_id], filter_string="name = 'absent'",
                                       output_format="list") == []
