"""Seeds what the browser tests look at, with the stock MLflow 3 client against the gateway
(MLFLOW_TRACKING_URI and MLFLOW_TRACKING_TOKEN), and writes the ids to the JSON file given as the only argument.

Names end with a suffix unique to this seeding, so it can run on a suite other tests use too."""
import json
import math
import sys
import time

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import mlflow  # noqa: E402
import pandas as pd  # noqa: E402
from mlflow.entities import Metric  # noqa: E402
from mlflow.tracking import MlflowClient  # noqa: E402

suffix = str(int(time.time() * 1000))
client = MlflowClient()
seeded = {"suffix": suffix, "experiments": {}, "runs": {}}


def experiment(key, name):
    seeded["experiments"][key] = {"id": mlflow.create_experiment(f"{name}-{suffix}"), "name": f"{name}-{suffix}"}
    return seeded["experiments"][key]["id"]


def log_history(run_id, key, values, start_ms):
    """values[i] at step i, one log-batch per 1,000 points (MLflow's limit)."""
    for offset in range(0, len(values), 1000):
        chunk = values[offset:offset + 1000]
        client.log_batch(run_id, metrics=[Metric(key, v, start_ms + (offset + i) * 1000, offset + i)
                                          for i, v in enumerate(chunk)])


demo = experiment("demo", "ui-demo")
mlflow.set_experiment(experiment_id=demo)
now = int(time.time() * 1000)
trials = []
for i in range(12):
    lr = [0.001, 0.003, 0.01, 0.03][i % 4]
    layers = 2 + i % 3
    with mlflow.start_run(run_name=f"trial-{i:02d}") as run:
        mlflow.log_params({"lr": lr, "layers": layers, "optimizer": "adam" if i % 2 else "sgd"})
        mlflow.set_tags({"team": "vision" if i < 6 else "nlp", "trial": str(i)})
        loss = [math.exp(-lr * 40 * s) * (1 + 0.05 * layers) + 0.01 * ((s * 7 + i) % 5) for s in range(30)]
        log_history(run.info.run_id, "loss", loss, now)
        mlflow.log_metric("accuracy", round(0.6 + 0.03 * i - 0.01 * layers, 4))
    if i == 11:
        client.set_terminated(run.info.run_id, "FAILED")
    trials.append(run.info.run_id)
seeded["runs"]["trials"] = trials

with mlflow.start_run(run_name="sweep") as parent:
    children = []
    for c in range(3):
        with mlflow.start_run(run_name=f"sweep-child-{c}", nested=True) as child:
            mlflow.log_param("alpha", c / 10)
            mlflow.log_metric("rmse", 1.0 / (c + 1))
            children.append(child.info.run_id)
seeded["runs"]["sweep"] = parent.info.run_id
seeded["runs"]["sweep_children"] = children

with mlflow.start_run(run_name="report", description="A run with **notes**, artifacts, a dataset and a model.") as run:
    mlflow.log_params({"lr": 0.01, "layers": 3, "optimizer": "adam"})
    mlflow.log_metric("accuracy", 0.93)
    fig, ax = plt.subplots(figsize=(4, 3))
    ax.plot([0, 1, 2, 3], [3, 1, 2, 0.5], marker="o")
    ax.set_title("fold 1")
    mlflow.log_figure(fig, "plots/fold-1.png")
    plt.close(fig)
    mlflow.log_dict({"model": {"layers": 3, "activation": "relu"}, "data": {"folds": 5}}, "config.yaml")
    mlflow.log_dict({"precision": 0.91, "recall": 0.88}, "data/scores.json")
    mlflow.log_text("lr,layers,accuracy\n0.01,3,0.93\n0.03,2,0.88\n0.1,4,0.71\n", "data/results.csv")
    mlflow.log_text("<h1>Report</h1><p id='body'>All folds passed.</p>"
                    "<script>document.getElementById('body').textContent='script ran'</script>", "report.html")
    mlflow.log_text("plain notes\nsecond line\n", "notes.txt")
    frame = pd.DataFrame({"sepal_length": [5.1, 4.9, 6.2], "species": ["setosa", "setosa", "virginica"]})
    mlflow.log_input(mlflow.data.from_pandas(frame, name="iris-sample"), context="training")
    model = mlflow.initialize_logged_model(name="report-model")
    mlflow.log_model_params({"layers": "3"}, model_id=model.model_id)
    mlflow.finalize_logged_model(model.model_id, "READY")
    client.log_outputs(run.info.run_id, [mlflow.entities.LoggedModelOutput(model.model_id, 0)])
seeded["runs"]["report"] = run.info.run_id
seeded["logged_model"] = model.model_id

live = client.create_run(demo, run_name="live-training")  # stays RUNNING: the tests log to it and watch
log_history(live.info.run_id, "loss", [1.0 / (s + 1) for s in range(10)], now)
seeded["runs"]["live"] = live.info.run_id

other = experiment("other", "ui-other")
others = []
for i in range(2):
    r = client.create_run(other, run_name=f"other-{i}")
    client.log_param(r.info.run_id, "lr", 0.05 * (i + 1))
    client.log_metric(r.info.run_id, "accuracy", 0.5 + 0.1 * i)
    client.set_terminated(r.info.run_id)
    others.append(r.info.run_id)
seeded["runs"]["others"] = others

history = experiment("history", "ui-history")
h = client.create_run(history, run_name="long-history")
log_history(h.info.run_id, "signal", [math.sin(s / 500) + 0.1 * math.sin(s / 7) for s in range(100_000)], now)
client.set_terminated(h.info.run_id)
seeded["runs"]["history"] = h.info.run_id

with open(sys.argv[1], "w") as out:
    json.dump(seeded, out, indent=2)
print(json.dumps(seeded))
