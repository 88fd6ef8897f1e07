"""The model registry: models registered as they are logged or afterwards, loaded by version, alias and stage,
searched, moved between stages and deleted."""

import mlflow
import numpy as np
import pytest
from mlflow.exceptions import MlflowException
from sklearn.linear_model import LinearRegression

from conftest import MLFLOW3, unique_name


@pytest.fixture
def regression():
    features = np.random.default_rng(11).normal(size=(20, 2))
    return features, features @ np.array([0.5, 2.0]) - 1.0


def log_model(model, **kwargs):
    """MLflow 3 names a model; MLflow 2 gives it an artifact path in the run."""
    if MLFLOW3:
        return mlflow.sklearn.log_model(model, name="model", pip_requirements=["scikit-learn"], **kwargs)
    return mlflow.sklearn.log_model(model, artifact_path="model", pip_requirements=["scikit-learn"], **kwargs)


def test_log_model_registers_it_and_it_loads_by_version_and_alias(experiment, client, regression):
    features, labels = regression
    model = LinearRegression().fit(features, labels)
    name = unique_name("registered")
    with mlflow.start_run() as run:
        info = log_model(model, registered_model_name=name)

    version = client.get_model_version(name, "1")
    assert (version.name, version.version, version.status) == (name, "1", "READY")
    assert version.run_id == run.info.run_id
    if MLFLOW3:
        assert version.source == f"models:/{info.model_id}"
        # The server lists the version on the logged model, as MLflow's does.
        assert name in client.get_logged_model(info.model_id).tags["mlflow.modelVersions"]

    by_version = mlflow.sklearn.load_model(f"models:/{name}/1")
    np.testing.assert_allclose(by_version.predict(features), labels)
    client.set_registered_model_alias(name, "champion", "1")
    assert client.get_model_version_by_alias(name, "champion").version == "1"
    by_alias = mlflow.pyfunc.load_model(f"models:/{name}@champion")
    np.testing.assert_allclose(by_alias.predict(features[:4]), model.predict(features[:4]))
    assert client.get_registered_model(name).aliases == {"champion": "1"}


def test_register_model_from_a_run(experiment, client, regression):
    features, labels = regression
    model = LinearRegression().fit(features, labels)
    with mlflow.start_run() as run:
        log_model(model)
    name = unique_name("from-run")

    first = mlflow.register_model(f"runs:/{run.info.run_id}/model", name)
    second = mlflow.register_model(f"runs:/{run.info.run_id}/model", name)

    assert (first.version, second.version) == ("1", "2")
    assert first.run_id == run.info.run_id
    loaded = mlflow.sklearn.load_model(f"models:/{name}/2")
    np.testing.assert_allclose(loaded.predict(features), labels)
    latest = mlflow.sklearn.load_model(f"models:/{name}/latest")
    np.testing.assert_array_equal(latest.coef_, model.coef_)


def test_search_transition_and_delete(experiment, client, regression):
    features, labels = regression
    model = LinearRegression().fit(features, labels)
    name = unique_name("lifecycle")
    with mlflow.start_run() as run:
        log_model(model, registered_model_name=name)
        log_model(model, registered_model_name=name)
    client.update_registered_model(name, description="two versions")
    client.set_registered_model_tag(name, "team", "vision")
    client.set_model_version_tag(name, "2", "validated", "yes")

    [found] = client.search_registered_models(filter_string=f"name = '{name}'")
    assert (found.name, found.description, found.tags) == (name, "two versions", {"team": "vision"})
    assert [m.name for m in client.search_registered_models(filter_string=f"name LIKE '{name[:-3]}%'")] == [name]
    versions = client.search_model_versions(f"name = '{name}'")
    assert sorted(v.version for v in versions) == ["1", "2"]
    assert [v.version for v in client.search_model_versions(f"run_id = '{run.info.run_id}'")] == ["2", "1"]
    assert client.get_model_version(name, "2").tags == {"validated": "yes"}

    client.transition_model_version_stage(name, "1", "Production")
    moved = client.transition_model_version_stage(name, "2", "Production", archive_existing_versions=True)
    assert moved.current_stage == "Production"
    assert client.get_model_version(name, "1").current_stage == "Archived"
    [production] = client.get_latest_versions(name, stages=["Production"])
    assert production.version == "2"
    in_production = mlflow.sklearn.load_model(f"models:/{name}/Production")
    np.testing.assert_allclose(in_production.predict(features), labels)

    renamed = unique_name("renamed")
    client.rename_registered_model(name, renamed)
    assert client.get_model_version(renamed, "2").current_stage == "Production"
    client.delete_model_version(renamed, "1")
    assert [v.version for v in client.search_model_versions(f"name = '{renamed}'")] == ["2"]
    client.delete_registered_model(renamed)
    with pytest.raises(MlflowException) as error:
        client.get_registered_model(renamed)
    assert error.value.error_code == "RESOURCE_DOES_NOT_EXIST"


def test_registry_errors_reach_the_client_as_mlflow_words_them(experiment, client):
    name = unique_name("errors")
    client.create_registered_model(name)
    with pytest.raises(MlflowException) as exists:
        client.create_registered_model(name)
    assert exists.value.error_code == "RESOURCE_ALREADY_EXISTS"
    with pytest.raises(MlflowException) as missing:
        client.get_model_version(name, "3")
    assert missing.value.error_code == "RESOURCE_DOES_NOT_EXIST"
    assert f"Model Version (name={name}, version=3) not found" in str(missing.value)
    with pytest.raises(MlflowException) as traversal:
        client.create_model_version(name, "s3://bucket/models/../../secrets")
    assert traversal.value.error_code == "INVALID_PARAMETER_VALUE"
    # Only what lies inside the suite's artifact locations (by default mlflow-artifacts:/) may be a source: a client
    # loads a version from where its source says.
    for elsewhere in ("s3://bucket/models/a", "http://169.254.169.254/latest/meta-data", "https://evil.example/m"):
        with pytest.raises(MlflowException) as outside:
            client.create_model_version(name, elsewhere)
        assert outside.value.error_code == "INVALID_PARAMETER_VALUE"
        assert f"Invalid model version source: '{elsewhere}'. It is not allowed: " in str(outside.value)
    # What was refused took no version number.
    assert client.create_model_version(name, "mlflow-artifacts:/models/a").version == "1"
    with pytest.raises(MlflowException) as reserved:
        client.set_registered_model_alias(name, "latest", "1")
    assert "'latest' alias name (case insensitive) is reserved." in str(reserved.value)


def test_a_version_stays_loadable_after_its_run_is_deleted(experiment, client, regression):
    features, labels = regression
    model = LinearRegression().fit(features, labels)
    name = unique_name("outlives-run")
    with mlflow.start_run() as run:
        log_model(model, registered_model_name=name)

    client.delete_run(run.info.run_id)

    assert client.get_run(run.info.run_id).info.lifecycle_stage == "deleted"
    assert client.get_model_version(name, "1").run_id == run.info.run_id
    loaded = mlflow.pyfunc.load_model(f"models:/{name}/1")
    np.testing.assert_allclose(loaded.predict(features), labels)


def test_mlflows_own_source_checks(experiment, client):
    """What MLflow's tests/tracking/test_rest_tracking.py asks of model-versions/create with no file:// root:
    test_create_model_version_with_non_local_source and test_create_model_version_with_validation_regex."""
    name = unique_name("sources")
    client.create_registered_model(name)
    run = client.create_run(experiment.experiment_id)
    assert run.info.artifact_uri.startswith("mlflow-artifacts:/")
    accepted = ["mlflow-artifacts:/models", "mlflow-artifacts:/models/", "mlflow-artifacts:/models///",
                f"{run.info.artifact_uri}/model", "mlflow-artifacts:/models/artifact/..../"]
    for source in accepted:
        client.create_model_version(name, source, run_id=run.info.run_id)
    for source in ("mlflow-artifacts://host:9000/models/../../../", "http://host:9000/models/../../../",
                   "https://host/api/2.0/mlflow-artifacts/artifacts/../../../",
                   "s3a://my_bucket/api/2.0/mlflow-artifacts/artifacts/../../../",
                   "ftp://host:8888/api/2.0/mlflow-artifacts/artifacts/../../../",
                   "mlflow-artifacts://host:9000/models/..%2f..%2fartifacts", "mlflow-artifacts://host:9000/models/artifact%00"):
        with pytest.raises(MlflowException, match="If supplying a source as an http, https,"):
            client.create_model_version(name, source, run_id=run.info.run_id)
    with pytest.raises(MlflowException, match="Invalid model version source"):
        client.create_model_version(name, f"dbfs:/{run.info.run_id}/artifacts/a%3f/../../../../../../../../../../",
                                    run_id=run.info.run_id)
    with pytest.raises(MlflowException, match="Invalid model version source"):
        client.create_model_version(name, "s3://path/to/model")
    assert [v.version for v in client.search_model_versions(f"name = '{name}'", order_by=["version_number ASC"])] \
        == [str(n) for n in range(1, len(accepted) + 1)]


@pytest.mark.mlflow3
def test_mlflows_own_model_id_checks(experiment, client):
    """test_create_model_version_model_id, and the logged-model part of test_create_model_version_with_non_local_source."""
    name = unique_name("model-id")
    client.create_registered_model(name)
    model = client.create_logged_model(experiment_id=experiment.experiment_id)
    client.create_model_version(name=name, source=model.artifact_location, model_id=model.model_id)
    assert client.get_logged_model(model.model_id).tags["mlflow.modelVersions"] == \
        f'[{{"name": "{name}", "version": 1}}]'
    client.create_model_version(name=name, source=model.model_uri, model_id=model.model_id)
    assert client.get_logged_model(model.model_id).tags["mlflow.modelVersions"] == \
        f'[{{"name": "{name}", "version": 1}}, {{"name": "{name}", "version": 2}}]'
    with pytest.raises(MlflowException) as local:
        client.create_model_version(name=name, source="file:///path/to/model", model_id=model.model_id)
    assert local.value.error_code == "INVALID_PARAMETER_VALUE"
