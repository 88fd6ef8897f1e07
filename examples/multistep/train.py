"""Step 2: fits Ridge(alpha) on the training set of a `generate` run and logs it as the model `model`."""

import argparse
import os

import mlflow
import mlflow.sklearn
import numpy as np
import pandas as pd
from mlflow.models import infer_signature
from sklearn.linear_model import Ridge
from sklearn.metrics import mean_squared_error, r2_score

parser = argparse.ArgumentParser()
parser.add_argument("--data-uri", required=True, help="the data/ directory of a generate run, e.g. runs:/<id>/data")
parser.add_argument("--alpha", type=float, default=0.5)
args = parser.parse_args()

with mlflow.start_run():
    data_dir = mlflow.artifacts.download_artifacts(artifact_uri=args.data_uri)
    train = pd.read_csv(os.path.join(data_dir, "train.csv"))
    features, target = train.drop(columns="y"), train["y"]

    model = Ridge(alpha=args.alpha).fit(features, target)
    predicted = model.predict(features)
    rmse = float(np.sqrt(mean_squared_error(target, predicted)))
    r2 = float(r2_score(target, predicted))
    mlflow.log_metrics({"train_rmse": rmse, "train_r2": r2})

    # MLflow 3 names a logged model; MLflow 2 stores it under an artifact path. Either way: runs:/<id>/model.
    where = {"name": "model"} if int(mlflow.__version__.split(".")[0]) >= 3 else {"artifact_path": "model"}
    mlflow.sklearn.log_model(
        model,
        input_example=features.head(5),
        signature=infer_signature(features, predicted),
        **where,
    )
    print(f"trained Ridge(alpha={args.alpha}) on {len(train)} rows: rmse={rmse:.4f} r2={r2:.4f}")
    print(f"model: runs:/{mlflow.active_run().info.run_id}/model")
