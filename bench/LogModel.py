"""Times mlflow.sklearn.log_model of a small model, p50 and p90 over --count runs, against one tracking URI.

The MLflow client takes its credentials from MLFLOW_TRACKING_TOKEN / _USERNAME / _PASSWORD as usual.
"""
import argparse
import statistics
import time

import mlflow
import numpy as np
from sklearn.linear_model import LogisticRegression


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--label", default="server")
    parser.add_argument("--count", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=3)
    args = parser.parse_args()

    mlflow.set_tracking_uri(args.url)
    mlflow.set_experiment(f"bench-log-model-{time.time_ns()}")
    rng = np.random.default_rng(7)
    features = rng.normal(size=(200, 4))
    model = LogisticRegression().fit(features, features[:, 0] > 0)

    seconds = []
    for i in range(args.warmup + args.count):
        with mlflow.start_run():
            mlflow.log_metric("accuracy", 0.9, step=0)
            started = time.perf_counter()
            mlflow.sklearn.log_model(model, name="model")
            if i >= args.warmup:
                seconds.append(time.perf_counter() - started)
    ms = sorted(s * 1000 for s in seconds)
    p90 = ms[max(0, int(round(0.9 * len(ms))) - 1)]
    print(f"{args.label}: log_model p50 {statistics.median(ms):.0f} ms, p90 {p90:.0f} ms, "
          f"min {ms[0]:.0f} ms over {len(ms)} (after {args.warmup} warm-up)")


if __name__ == "__main__":
    main()
