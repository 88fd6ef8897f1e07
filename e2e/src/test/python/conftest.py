"""The stock MLflow Python client against a running Quarkflow gateway.

The suite is given from outside (PythonClientTest, or a developer's shell): MLFLOW_TRACKING_URI names the
authenticating gateway, MLFLOW_TRACKING_TOKEN an identity that may write, QUARKFLOW_E2E_USERNAME and
QUARKFLOW_E2E_PASSWORD a user that may write, QUARKFLOW_E2E_READER_TOKEN a read-only identity.
"""

import os
import uuid
from dataclasses import dataclass

import mlflow
import pytest
from packaging.version import Version

os.environ.setdefault("MPLBACKEND", "Agg")  # plots are files here; before any test module imports pyplot

MLFLOW3 = Version(mlflow.__version__).major >= 3
CREDENTIAL_VARIABLES = ("MLFLOW_TRACKING_TOKEN", "MLFLOW_TRACKING_USERNAME", "MLFLOW_TRACKING_PASSWORD")
REQUIRED_VARIABLES = ("MLFLOW_TRACKING_URI", "MLFLOW_TRACKING_TOKEN", "QUARKFLOW_E2E_USERNAME",
                      "QUARKFLOW_E2E_PASSWORD", "QUARKFLOW_E2E_READER_TOKEN")


@dataclass(frozen=True)
class Gateway:
    uri: str
    token: str
    username: str
    password: str
    reader_token: str


def pytest_configure(config):
    missing = [name for name in REQUIRED_VARIABLES if not os.environ.get(name)]
    if missing:
        # Without a tracking URI the client would quietly log into ./mlruns and every test would pass.
        raise pytest.UsageError("set " + ", ".join(missing) + " (see README.md)")
    os.environ["MLFLOW_HTTP_REQUEST_MAX_RETRIES"] = "0"  # a failing call fails now, not after minutes of retries


def pytest_report_header(config):
    return f"mlflow {mlflow.__version__} against {os.environ['MLFLOW_TRACKING_URI']}"


def pytest_collection_modifyitems(config, items):
    if MLFLOW3:
        return
    skip = pytest.mark.skip(reason=f"needs the MLflow 3 client; this is {mlflow.__version__}")
    for item in items:
        if "mlflow3" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def gateway():
    return Gateway(uri=os.environ["MLFLOW_TRACKING_URI"],
                   token=os.environ["MLFLOW_TRACKING_TOKEN"],
                   username=os.environ["QUARKFLOW_E2E_USERNAME"],
                   password=os.environ["QUARKFLOW_E2E_PASSWORD"],
                   reader_token=os.environ["QUARKFLOW_E2E_READER_TOKEN"])


def unique_name(prefix):
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


@pytest.fixture
def experiment(request):
    """A new experiment, named after the test, made the active one; a run the test left open is ended."""
    experiment = mlflow.set_experiment(unique_name("py-" + request.node.name.replace("[", "-").rstrip("]")))
    yield experiment
    while mlflow.active_run() is not None:
        mlflow.end_run(status="KILLED")


@pytest.fixture
def client():
    return mlflow.MlflowClient()


@pytest.fixture
def credentials(monkeypatch):
    """Switches the identity the client sends: credentials(token=...) or credentials(username=..., password=...)."""

    def use(token=None, username=None, password=None):
        values = dict(zip(CREDENTIAL_VARIABLES, (token, username, password)))
        for name, value in values.items():
            if value is None:
                monkeypatch.delenv(name, raising=False)
            else:
                monkeypatch.setenv(name, value)

    return use
