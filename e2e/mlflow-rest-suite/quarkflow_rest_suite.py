"""pytest plugin: runs MLflow's tests/tracking/test_rest_tracking.py against a running Quarkflow gateway.

Loaded with ``-p quarkflow_rest_suite`` (see run.sh). Instead of starting MLflow's own server per test,
``_init_server`` yields the gateway's URL after emptying Quarkflow's database, so every test still sees a
fresh server (only the ``Default`` experiment). Raw ``requests`` calls of the suite get the gateway's
bearer token. Tests outside the compared surface are deselected with their reason (DESELECTED below).

Environment:
  QUARKFLOW_URL      the gateway (default http://127.0.0.1:6200)
  QUARKFLOW_HOME     the local suite's home: the token is read from $QUARKFLOW_HOME/token
  QUARKFLOW_TOKEN    the token itself (instead of QUARKFLOW_HOME)
  QUARKFLOW_DB_DSN   libpq DSN of Quarkflow's PostgreSQL, emptied before each test
                     (default: the local suite's embedded one, port $QUARKFLOW_DB_PORT or 6206)
"""

import contextlib
import os
import pathlib
import socket
import sys
import types

import pytest

GATEWAY = os.environ.get("QUARKFLOW_URL", "http://127.0.0.1:6200").rstrip("/")


def _token():
    if os.environ.get("QUARKFLOW_TOKEN"):
        return os.environ["QUARKFLOW_TOKEN"].strip()
    home = os.environ.get("QUARKFLOW_HOME")
    if home and pathlib.Path(home, "token").exists():
        return pathlib.Path(home, "token").read_text().strip()
    return os.environ.get("MLFLOW_TRACKING_TOKEN")


TOKEN = _token()
if TOKEN:
    os.environ["MLFLOW_TRACKING_TOKEN"] = TOKEN
os.environ.setdefault("MLFLOW_HTTP_REQUEST_MAX_RETRIES", "0")
os.environ.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")

DB_DSN = os.environ.get(
    "QUARKFLOW_DB_DSN",
    "host=127.0.0.1 port={} dbname=quarkflow user=postgres password=postgres".format(
        os.environ.get("QUARKFLOW_DB_PORT", "6206")
    ),
)

# Why a test is not run against Quarkflow. Matched against the test's name without parameters.
OUT_OF_SCOPE_FILE_ROOT = "needs a file:// artifact root (asserts artifact locations under the test's tmp_path)"
OUT_OF_SCOPE_GET_ARTIFACT = "model-versions/get-artifact (the MLflow UI's route, not served by Quarkflow)"
DELIBERATE_SOURCES = (
    "asserts that sources outside the served artifact locations are accepted (mlflow-artifacts://other-host/..., "
    "empty path segments); Quarkflow refuses any source outside its artifact locations (issue 15)"
)
OUT_OF_SCOPE_GRAPHQL = "GraphQL (not served by Quarkflow)"
OUT_OF_SCOPE_TRACING = "tracing: traces, spans, trace tags and trace artifacts (not served by Quarkflow)"
OUT_OF_SCOPE_PROMPTLAB = "prompt-lab run creation (UI-only endpoint, not served by Quarkflow)"
OUT_OF_SCOPE_GATEWAY_PROXY = "gateway-proxy route (not served by Quarkflow)"
SERVER_INTERNALS = "runs MLflow's own server code in-process (handlers/SqlAlchemyStore); never contacts the server under test"

OUT_OF_SCOPE_ANY_LOCATION = (
    "creates an experiment with artifact_location 'my_location'; Quarkflow accepts only its allowed artifact "
    "locations (issue 17: any location let every teammate's client write where the creator chose)"
)

DESELECTED = {
    "test_create_get_search_experiment": OUT_OF_SCOPE_ANY_LOCATION,
    "test_artifacts": OUT_OF_SCOPE_FILE_ROOT,
    "test_create_model_version_with_path_source": OUT_OF_SCOPE_FILE_ROOT,
    "test_create_model_version_with_non_local_source": OUT_OF_SCOPE_FILE_ROOT + "; " + DELIBERATE_SOURCES,
    "test_create_model_version_with_file_uri": OUT_OF_SCOPE_FILE_ROOT,
    "test_logging_model_with_local_artifact_uri": OUT_OF_SCOPE_FILE_ROOT,
    "test_path_validation": OUT_OF_SCOPE_GET_ARTIFACT + " (its third request)",
    "test_graphql_handler": OUT_OF_SCOPE_GRAPHQL,
    "test_get_experiment_graphql": OUT_OF_SCOPE_GRAPHQL,
    "test_get_run_and_experiment_graphql": OUT_OF_SCOPE_GRAPHQL,
    "test_get_metric_history_bulk_interval_graphql": OUT_OF_SCOPE_GRAPHQL,
    "test_search_runs_graphql": OUT_OF_SCOPE_GRAPHQL,
    "test_list_artifacts_graphql": OUT_OF_SCOPE_GRAPHQL,
    "test_search_datasets_graphql": OUT_OF_SCOPE_GRAPHQL,
    "test_start_and_end_trace": OUT_OF_SCOPE_TRACING,
    "test_start_and_end_trace_non_string_name": OUT_OF_SCOPE_TRACING,
    "test_search_traces": OUT_OF_SCOPE_TRACING,
    "test_delete_traces": OUT_OF_SCOPE_TRACING,
    "test_set_and_delete_trace_tag": OUT_OF_SCOPE_TRACING,
    "test_get_trace_artifact_handler": OUT_OF_SCOPE_TRACING,
    "test_create_promptlab_run_handler_rejects_invalid_requests": OUT_OF_SCOPE_PROMPTLAB,
    "test_create_promptlab_run_handler_returns_expected_results": OUT_OF_SCOPE_PROMPTLAB,
    "test_gateway_proxy_handler_rejects_invalid_requests": OUT_OF_SCOPE_GATEWAY_PROXY,
    "test_get_metric_history_bulk_calls_optimized_impl_when_expected": SERVER_INTERNALS,
    "test_get_sampled_steps_from_steps": SERVER_INTERNALS,
}
FILE_STORE_VARIANT = (
    "file-store variant of mlflow_client: Quarkflow has one backend (PostgreSQL), "
    "so it would rerun the [sqlalchemy] variant against the same server"
)


def _install_helper_functions_if_missing():
    """integration_test_utils imports LOCALHOST and get_safe_port from MLflow's tests/helper_functions.py."""
    try:
        import tests.helper_functions  # noqa: F401
    except ImportError:
        module = types.ModuleType("tests.helper_functions")
        module.LOCALHOST = "127.0.0.1"

        def get_safe_port():
            with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
                sock.bind(("127.0.0.1", 0))
                return sock.getsockname()[1]

        module.get_safe_port = get_safe_port
        sys.modules["tests.helper_functions"] = module


def reset_quarkflow():
    """Empties Quarkflow's database: every run, experiment (but Default, made active and tag-less) and model."""
    import psycopg2

    with contextlib.closing(psycopg2.connect(DB_DSN)) as connection, connection, connection.cursor() as cursor:
        cursor.execute(
            "select table_name from information_schema.tables where table_schema = current_schema() "
            "and table_type = 'BASE TABLE' and table_name not in ('experiments', 'outbox') "
            "and table_name not like 'flyway%'"
        )
        tables = [row[0] for row in cursor.fetchall()]
        if tables:
            cursor.execute("truncate " + ", ".join('"%s"' % t for t in tables) + " cascade")
        cursor.execute("delete from experiments where experiment_id <> 0")
        cursor.execute("update experiments set lifecycle_stage = 'active' where experiment_id = 0")
        cursor.execute("alter sequence experiment_id_seq restart with 1")


@contextlib.contextmanager
def _quarkflow_server(backend_uri=None, root_artifact_uri=None, extra_env=None, app=None):
    """Stands in for MLflow's _init_server: a fresh Quarkflow behind the gateway."""
    import mlflow

    mlflow.set_tracking_uri(None)
    reset_quarkflow()
    yield GATEWAY


def _authorize_raw_requests():
    """The suite calls the server with plain requests.get/post too; they need the gateway's token."""
    import requests

    original = requests.Session.request

    def request(self, method, url, *args, **kwargs):
        if TOKEN and isinstance(url, str) and url.startswith(GATEWAY):
            headers = dict(kwargs.get("headers") or {})
            if not any(k.lower() == "authorization" for k in headers) and kwargs.get("auth") is None:
                headers["Authorization"] = f"Bearer {TOKEN}"
                kwargs["headers"] = headers
        return original(self, method, url, *args, **kwargs)

    requests.Session.request = request


def pytest_configure(config):
    config.addinivalue_line("markers", "allow_infer_pip_requirements_fallback: MLflow's marker")
    _install_helper_functions_if_missing()
    import tests.tracking.integration_test_utils as utils

    utils._init_server = _quarkflow_server
    _authorize_raw_requests()


def pytest_collection_modifyitems(session, config, items):
    kept, dropped = [], []
    for item in items:
        name = getattr(item, "originalname", None) or item.name.split("[")[0]
        reason = DESELECTED.get(name)
        if reason is None and "[file" in item.name:
            reason = FILE_STORE_VARIANT
        if reason is None:
            kept.append(item)
        else:
            dropped.append((item, reason))
    if dropped:
        config.hook.pytest_deselected(items=[item for item, _ in dropped])
        items[:] = kept
        report = os.environ.get("QUARKFLOW_DESELECTED_REPORT")
        if report:
            with open(report, "w") as f:
                for item, reason in dropped:
                    f.write(f"{item.nodeid}\t{reason}\n")
