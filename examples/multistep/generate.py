"""Step 1: synthetic regression data, y = 3*x1 - 2*x2 + 0.5*x3 + noise, logged as data/train.csv and data/test.csv."""

import argparse
import os
import tempfile

import mlflow
import numpy as np
import pandas as pd

TEST_FRACTION = 0.2

parser = argparse.ArgumentParser()
parser.add_argument("--rows", type=int, default=2000)
parser.add_argument("--seed", type=int, default=42)
parser.add_argument("--noise", type=float, default=0.1, help="standard deviation of the Gaussian noise")
args = parser.parse_args()

rng = np.random.default_rng(args.seed)
features = rng.uniform(0.0, 1.0, size=(args.rows, 3))
target = features @ np.array([3.0, -2.0, 0.5]) + rng.normal(0.0, args.noise, size=args.rows)
data = pd.DataFrame(features, columns=["x1", "x2", "x3"]).assign(y=target)

# The rows are random already, so a fixed cut is a fair split and the same seed gives the same files.
split = int(args.rows * (1 - TEST_FRACTION))
train, test = data.iloc[:split], data.iloc[split:]

# The run was created by whoever launched this step (MLFLOW_RUN_ID); start_run() continues it.
with mlflow.start_run(), tempfile.TemporaryDirectory() as tmp:
    for name, frame in (("train.csv", train), ("test.csv", test)):
        path = os.path.join(tmp, name)
        frame.to_csv(path, index=False)
        mlflow.log_artifact(path, artifact_path="data")
    mlflow.log_metrics({"train_rows": len(train), "test_rows": len(test)})
    # No source: MLflow has no dataset source for runs:/ or mlflow-artifacts:/ URIs, so it records this code.
    mlflow.log_input(mlflow.data.from_pandas(train, targets="y", name="synthetic-train"), context="training")
    print(f"generated {len(train)} training and {len(test)} test rows -> {mlflow.get_artifact_uri('data')}")
