"""Times mlflow.sklearn.log_model of a small model against several tracking servers, taking turns call by call so
that whatever else the machine does weighs on each alike; prints p50, p90 and the minimum for each.

  LogModel.py --server 'Quarkflow=http://127.0.0.1:5000' --server 'MLflow=http://127.0.0.1:5555' [--count 20]

The MLflow client takes its credentials from MLFLOW_TRACKING_TOKEN / _USERNAME / _PASSWORD as usual (a server
without authentication ignores them).
"""
import argparse
import logging
import statistics
import time

import mlflow
import numpy as np
from sklearn.linear_model import LogisticRegression


def log_model_once(url, experiment, model):
    mlflow.set_tracking_uri(url)
    mlflow.set_experiment(experiment)
    with mlflow.start_run():
        mlflow.log_metric("accuracy", 0.9, step=0)
        started = time.perf_counter()
        mlflow.sklearn.log_model(model, name="model")
        return time.perf_counter() - started


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--server", action="append", required=True, help="label=url")
    parser.add_argument("--count", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=3)
    args = parser.parse_args()
    servers = [entry.split("=", 1) for entry in args.server]

    logging.getLogger("mlflow").setLevel(logging.ERROR)  # the figures, not a line per run
    experiment = f"bench-log-model-{time.time_ns()}"
    rng = np.random.default_rng(7)
    features = rng.normal(size=(200, 4))
    model = LogisticRegression().fit(features, features[:, 0] > 0)

    seconds = {label: [] for label, _ in servers}
    for i in range(args.warmup + args.count):
        for label, url in servers:
            took = log_model_once(url, experiment, model)
            if i >= args.warmup:
                seconds[label].append(took)
    for label, _ in servers:
        ms = sorted(s * 1000 for s in seconds[label])
        p90 = ms[max(0, int(round(0.9 * len(ms))) - 1)]
        print(f"{label}: log_model p50 {statistics.median(ms):.0f} ms, p90 {p90:.0f} ms, min {ms[0]:.0f} ms "
              f"over {len(ms)} calls (after {args.warmup} warm-up calls)")


if __name__ == "__main__":
    main()
