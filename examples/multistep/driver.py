"""The chain of workflow.yaml written the way MLflow users chain project runs today: a driver process submits each
step (here to Quarkflow, through MLflow's project backend in clients/python), waits for it and hands its outputs to
the next step. The driver has to stay alive until the last step ends; the workflow file does not need it.

    pip install ./clients/python        # next to mlflow; MLFLOW_TRACKING_URI (and _TOKEN) name the Quarkflow server
    python examples/multistep/driver.py --alpha 0.1
"""

import argparse
import os
import sys

import mlflow
from mlflow.exceptions import ExecutionException

PROJECT = os.path.dirname(os.path.abspath(__file__))

parser = argparse.ArgumentParser()
parser.add_argument("--alpha", type=float, default=0.5)
parser.add_argument("--min-r2", type=float, default=0.9)
parser.add_argument("--backend", default="local", help="Quarkflow's backend: local or kubernetes")
parser.add_argument("--experiment-name", default="multistep")
args = parser.parse_args()


def step(entry_point, **parameters):
    """Runs one entry point on the server, waits for it and returns its run (ExecutionException if it failed)."""
    submitted = mlflow.projects.run(
        PROJECT,  # uploaded again for every step
        entry_point=entry_point,
        parameters=parameters,
        backend="quarkflow",
        backend_config={"backend": args.backend},
        experiment_name=args.experiment_name,
        synchronous=True,
    )
    return mlflow.get_run(submitted.run_id)


try:
    generate = step("generate", rows=2000)
    data_uri = f"{generate.info.artifact_uri}/data"
    train = step("train", data_uri=data_uri, alpha=args.alpha)
    evaluate = step("evaluate", model_uri=f"runs:/{train.info.run_id}/model", data_uri=data_uri,
                    min_r2=args.min_r2)
except ExecutionException as e:
    sys.exit(f"multistep failed: {e}")
print(f"multistep finished: test_r2={evaluate.data.metrics['test_r2']:.4f} (runs {generate.info.run_id}, "
      f"{train.info.run_id}, {evaluate.info.run_id})")
