"""``mlflow run -b quarkflow`` and ``mlflow.projects.run(backend="quarkflow")``: the project runs on the Quarkflow
server that ``MLFLOW_TRACKING_URI`` names (as a Kubernetes Job or a process of the server's machine), not here.

backend_config (a dict, a JSON string or a .json file, as MLflow takes it):
  backend                  "kubernetes" or "local"; the server's default when absent
  kube-job-template-path   a Job template file of this machine, sent as its text (MLflow's key)
  kube-job-template        the template's text itself
  namespace, resources     passed to the server as they are (see Quarkflow's README, "Run a project")
"""

import os
import sys
import time

from mlflow.entities import RunStatus
from mlflow.exceptions import ExecutionException, RestException
from mlflow.projects.backend.abstract_backend import AbstractBackend
from mlflow.projects.submitted_run import SubmittedRun
from mlflow.utils.credentials import get_default_host_creds

from quarkflow_mlflow.archive import upload_directory
from quarkflow_mlflow.projects_api import ProjectsApi

# Keys MLflow adds to every backend_config for its own backends.
_MLFLOW_KEYS = {"ENV_MANAGER", "SYNCHRONOUS", "DOCKER_ARGS", "STORAGE_DIR", "build_image", "docker_auth",
                "_mlflow_local_backend_run_id"}
_TERMINAL = {"FINISHED", "FAILED", "KILLED"}
_POLL_SECONDS = 1.0


class QuarkflowBackend(AbstractBackend):
    def run(self, project_uri, entry_point, params, version, backend_config, tracking_uri, experiment_id):
        synchronous = (backend_config or {}).get("SYNCHRONOUS")
        submitted = self._submit(project_uri, entry_point, params, version, backend_config, tracking_uri,
                                 experiment_id)
        if not synchronous and _in_mlflow_run_command():
            # MLflow's CLI waits for its own backends but not for a plugin's; `mlflow run` users expect it to.
            _wait_like_mlflow_run(submitted)
        return submitted

    def _submit(self, project_uri, entry_point, params, version, backend_config, tracking_uri, experiment_id):
        creds = get_default_host_creds(tracking_uri)
        config = _server_config(backend_config)
        body = {
            "uri": _server_uri(creds, project_uri, version),
            "entry_point": entry_point,
            "parameters": {str(key): str(value) for key, value in (params or {}).items()},
            "experiment_id": str(experiment_id),
        }
        if version and not os.path.exists(project_uri.split("#", 1)[0]):
            body["version"] = version
        if "backend" in config:
            body["backend"] = config.pop("backend")
        if config:
            body["backend_config"] = config
        api = ProjectsApi(creds)
        run = api.submit(body)
        print(
            f"=== Quarkflow: run {run['run_id']} submitted to {tracking_uri} ({run['backend']} backend): "
            f"{run['command']} ===\n"
            f"    status:  GET {tracking_uri}/api/2.0/quarkflow/projects/runs/get?run_id={run['run_id']}\n"
            f"    output:  GET {tracking_uri}/api/2.0/quarkflow/projects/runs/logs?run_id={run['run_id']}"
            "&follow=true",
            file=sys.stderr,
        )
        return QuarkflowSubmittedRun(api, run["run_id"])


class QuarkflowSubmittedRun(SubmittedRun):
    """A run executing on the server: waiting streams its output here, cancelling stops it there."""

    def __init__(self, api, run_id):
        super().__init__()
        self._api = api
        self._run_id = run_id

    @property
    def run_id(self):
        return self._run_id

    def wait(self):
        self._stream_output()
        return self._await_terminal() == "FINISHED"

    def _stream_output(self):
        """Copies the run's output here as it comes; until the launcher started the run there is none yet."""
        while True:
            try:
                for chunk in self._api.logs(self._run_id, follow=True):
                    sys.stdout.write(chunk)
                    sys.stdout.flush()
                return
            except RestException as e:
                if e.error_code != "RESOURCE_DOES_NOT_EXIST" or self._api.get(self._run_id)["status"] in _TERMINAL:
                    print(f"=== Quarkflow: no output of run {self._run_id} ({e}) ===", file=sys.stderr)
                    return
                time.sleep(_POLL_SECONDS / 2)  # scheduled, not started yet
            except KeyboardInterrupt:
                raise
            except Exception as e:  # the output is a convenience: the status decides
                print(f"=== Quarkflow: the run's output stopped ({e}); waiting for its status ===", file=sys.stderr)
                return

    def get_status(self):
        return RunStatus.from_string(self._api.get(self._run_id)["status"])

    def cancel(self):
        self._api.cancel(self._run_id)
        self._await_terminal(timeout=120)

    def _await_terminal(self, timeout=None):
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            status = self._api.get(self._run_id)["status"]
            if status in _TERMINAL:
                return status
            if deadline is not None and time.monotonic() > deadline:
                return status
            time.sleep(_POLL_SECONDS)


def _in_mlflow_run_command():
    try:
        import click

        context = click.get_current_context(silent=True)
    except ImportError:
        return False
    return context is not None and context.info_name == "run" and "mlflow" in (context.find_root().info_name or "")


def _wait_like_mlflow_run(submitted):
    """What MLflow's CLI does for its own backends: wait, fail on failure, cancel on Ctrl-C."""
    try:
        succeeded = submitted.wait()
    except KeyboardInterrupt:
        print(f"=== Quarkflow: interrupted, cancelling run {submitted.run_id} ===", file=sys.stderr)
        submitted.cancel()
        raise
    if not succeeded:
        raise ExecutionException(f"Run (ID '{submitted.run_id}') failed")
    print(f"=== Quarkflow: run {submitted.run_id} succeeded ===", file=sys.stderr)


def _server_config(backend_config):
    config = {key: value for key, value in (backend_config or {}).items() if key not in _MLFLOW_KEYS}
    template_path = config.pop("kube-job-template-path", None)
    if template_path is not None:
        with open(template_path) as template:
            config["kube-job-template"] = template.read()
    config.pop("repository-uri", None)  # MLflow pushes images there; Quarkflow builds none
    config.pop("kube-context", None)  # the server's launcher talks to its own cluster
    return config


def _server_uri(creds, project_uri, version):
    """A directory of this machine is uploaded as an archive; anything else is the server's to fetch."""
    directory, _, subdirectory = project_uri.partition("#")
    if not os.path.isdir(directory):
        return project_uri
    if version:
        raise ExecutionException("Setting a version is only supported for Git project URIs: a directory is "
                                 "uploaded as it is")
    uri = upload_directory(creds, directory)
    return uri + ("#" + subdirectory if subdirectory else "")
