"""MLflow Projects run on Quarkflow the way MLflow users already run them: ``mlflow run -b quarkflow`` and
``mlflow.projects.run(backend="quarkflow")``, through the plugin in clients/python (on the PYTHONPATH the suite
is given). The server runs them with its local backend; the project logs through the gateway with plain HTTP.
"""

import os
import signal
import subprocess
import sys
import textwrap
import time
from importlib.metadata import entry_points

import mlflow
import pytest

from conftest import unique_name

pytestmark = pytest.mark.skipif(
    "quarkflow" not in {e.name for e in entry_points(group="mlflow.project_backend")},
    reason="the quarkflow plugin (clients/python) is not installed in this Python")

MLPROJECT = textwrap.dedent("""
    name: plugin-project
    entry_points:
      main:
        parameters:
          greeting: {type: string, default: hello}
        command: "sh log.sh {greeting}"
      fail:
        command: "echo failing on purpose; exit 3"
      wait:
        command: "sleep 3209"
""")
LOG_SH = textwrap.dedent("""
    set -eu
    curl -sf -H "Authorization: Bearer $MLFLOW_TRACKING_TOKEN" -H 'Content-Type: application/json' \\
        "$MLFLOW_TRACKING_URI/api/2.0/mlflow/runs/log-parameter" \\
        -d "{\\"run_id\\": \\"$MLFLOW_RUN_ID\\", \\"key\\": \\"seen\\", \\"value\\": \\"$1\\"}"
    echo "the project says $1"
""")
LOCAL = '{"backend": "local"}'


@pytest.fixture
def project(tmp_path):
    (tmp_path / "MLproject").write_text(MLPROJECT)
    (tmp_path / "log.sh").write_text(LOG_SH)
    return str(tmp_path)


def cli_environment():
    """This process's environment without an active experiment (a fluent test may have set one), which the CLI
    would take for --experiment-id next to the --experiment-name given."""
    return {k: v for k, v in os.environ.items() if k not in ("MLFLOW_EXPERIMENT_ID", "MLFLOW_EXPERIMENT_NAME")}


def mlflow_run(project, *args):
    return subprocess.run([sys.executable, "-m", "mlflow", "run", project, "-b", "quarkflow",
                           "--backend-config", LOCAL, *args],
                          capture_output=True, text=True, timeout=300, env=cli_environment())


def test_mlflow_run_cli_runs_a_directory_on_the_server_and_streams_its_output(project, client):
    name = unique_name("cli")
    done = mlflow_run(project, "-P", "greeting=hi there", "--experiment-name", name, "--run-name", "from-cli")
    assert done.returncode == 0, done.stderr
    assert "the project says hi there" in done.stdout
    experiment = client.get_experiment_by_name(name)
    [run] = client.search_runs([experiment.experiment_id])
    assert run.info.status == "FINISHED"
    assert run.info.run_name == "from-cli"
    assert run.data.params["seen"] == "hi there"
    assert run.data.tags["mlflow.project.backend"] == "quarkflow"  # MLflow names the plugin
    assert run.data.tags["quarkflow.project.backend"] == "local"  # Quarkflow the backend that ran it


def test_a_failing_entry_point_makes_mlflow_run_fail(project, client):
    done = mlflow_run(project, "-e", "fail", "--experiment-name", unique_name("cli-fail"))
    assert done.returncode != 0
    assert "failing on purpose" in done.stdout


def test_mlflow_projects_run_returns_a_submitted_run_to_wait_for(project, experiment):
    submitted = mlflow.projects.run(project, backend="quarkflow", backend_config={"backend": "local"},
                                    parameters={"greeting": "from python"}, experiment_id=experiment.experiment_id,
                                    synchronous=False)
    assert submitted.wait()
    assert submitted.get_status() == mlflow.entities.RunStatus.FINISHED
    assert mlflow.get_run(submitted.run_id).data.params["seen"] == "from python"


def test_ctrl_c_cancels_the_run_on_the_server(project, client):
    name = unique_name("cli-cancel")
    cli = subprocess.Popen([sys.executable, "-m", "mlflow", "run", project, "-b", "quarkflow", "-e", "wait",
                            "--backend-config", LOCAL, "--experiment-name", name],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=cli_environment(),
                           # A harness started in the background ignores SIGINT and its children inherit that; a
                           # user's terminal delivers Ctrl-C, so the client gets the default disposition back.
                           preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    run = None
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        experiment = client.get_experiment_by_name(name)
        runs = client.search_runs([experiment.experiment_id]) if experiment else []
        if runs and runs[0].info.status == "RUNNING" and sleepers():
            run = runs[0]
            break
        if cli.poll() is not None:
            break
        time.sleep(0.2)
    assert run is not None, "the run never started: " + (cli.communicate()[1] if cli.poll() is not None else "")
    cli.send_signal(signal.SIGINT)
    cli.communicate(timeout=180)
    assert cli.returncode != 0
    assert client.get_run(run.info.run_id).info.status == "KILLED"
    assert sleepers() == [], "cancel stops the process on the server"


def sleepers():
    return [pid for pid in os.listdir("/proc") if pid.isdigit() and b"sleep\x003209" in _cmdline(pid)]


def _cmdline(pid):
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return f.read()
    except OSError:
        return b""
