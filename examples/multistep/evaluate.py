"""Step 3: scores a model on the test set of a `generate` run; fails when its R² is below --min-r2."""

import argparse
import os
import sys

import mlflow
import mlflow.pyfunc
import numpy as np
import pandas as pd
from sklearn.metrics import mean_squared_error, r2_score

parser = argparse.ArgumentParser()
parser.add_argument("--model-uri", required=True, help="e.g. runs:/<id of a train run>/model")
parser.add_argument("--data-uri", required=True, help="the data/ directory of a generate run")
parser.add_argument("--min-r2", type=float, default=0.9, help="the step fails below this test R²")
args = parser.parse_args()

with mlflow.start_run():
    test = pd.read_csv(os.path.join(mlflow.artifacts.download_artifacts(artifact_uri=args.data_uri), "test.csv"))
    features, target = test.drop(columns="y"), test["y"]

    predicted = mlflow.pyfunc.load_model(args.model_uri).predict(features)
    rmse = float(np.sqrt(mean_squared_error(target, predicted)))
    r2 = float(r2_score(target, predicted))
    mlflow.log_metrics({"test_rmse": rmse, "test_r2": r2})
    print(f"evaluated {args.model_uri} on {len(test)} rows: rmse={rmse:.4f} r2={r2:.4f}")

    if r2 < args.min_r2:
        # Raised inside the run: MLflow marks it FAILED, and the exit code 1 fails the step.
        sys.exit(f"FAILED: test_r2 {r2:.4f} is below min_r2 {args.min_r2}")
