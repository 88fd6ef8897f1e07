"""A short load on every service of a suite, through its gateway, for startup-rss.sh: a few hundred MLflow REST
requests (runs with params and metrics, searches, metric histories, artifacts up and down) and a few project runs of
a trivial project on the local backend (projects-service, Kafka, the launcher). Python's standard library only.
Prints what it did; exits non-zero when a request fails or a project run does not finish.

  python3 SuiteLoad.py --url http://127.0.0.1:5000 --token-file TOKEN --project DIR [--runs 100] [--project-runs 3]
"""
import argparse
import json
import sys
import time
import urllib.error
import urllib.request

ENDED = {"FINISHED", "FAILED", "KILLED"}


class Gateway:
    def __init__(self, url, token):
        self.url = url
        self.token = token
        self.requests = 0
        self.retried = 0

    def call(self, method, path, body=None):
        """A JSON request; its JSON answer."""
        return json.loads(self.send(method, path, None if body is None else json.dumps(body).encode()))

    def send(self, method, path, data=None):
        """Any request; the bytes of its answer. A 503 is tried once more, as MLflow's clients retry it (and
        counted); any other status but 2xx raises."""
        request = urllib.request.Request(self.url + path, data=data, method=method,
                                         headers={"Authorization": "Bearer " + self.token,
                                                  "Content-Type": "application/json"})
        self.requests += 1
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return response.read()
        except urllib.error.HTTPError as error:
            if error.code != 503 or self.retried > 10:
                raise
            self.retried += 1
            print(f"{method} {path.split('?')[0]}: 503 {error.read().decode(errors='replace')}; trying once more",
                  file=sys.stderr)
            time.sleep(0.5)
            with urllib.request.urlopen(request, timeout=60) as response:
                return response.read()


def tracking_load(gateway, runs):
    experiment = gateway.call("POST", "/api/2.0/mlflow/experiments/create",
                              {"name": f"startup-rss-{time.time_ns()}"})["experiment_id"]
    runs_created = []
    for i in range(runs):
        run = gateway.call("POST", "/api/2.0/mlflow/runs/create", {"experiment_id": experiment})["run"]["info"]
        run_id = run["run_id"]
        now = int(time.time() * 1000)
        gateway.call("POST", "/api/2.0/mlflow/runs/log-batch", {
            "run_id": run_id,
            "params": [{"key": f"p{k}", "value": str(i * k)} for k in range(3)],
            "metrics": [{"key": "loss", "value": 1.0 / (step + 1 + i), "timestamp": now, "step": step}
                        for step in range(10)]})
        runs_created.append(run)
    for i in range(runs // 2):
        gateway.call("POST", "/api/2.0/mlflow/runs/search", {"experiment_ids": [experiment],
                                                              "filter": f"metrics.loss < {1.0 / (i + 1)}",
                                                              "max_results": 50})
        gateway.call("GET", f"/api/2.0/mlflow/metrics/get-history?run_id={runs_created[i]['run_id']}&metric_key=loss")
    return experiment, runs_created


def artifact_load(gateway, runs):
    payload = bytes(range(256)) * 40  # 10 KB
    for run in runs[:20]:
        path = "/api/2.0/mlflow-artifacts/artifacts/" + run["artifact_uri"].removeprefix("mlflow-artifacts:/")
        gateway.send("PUT", path + "/weights.bin", payload)
        if gateway.send("GET", path + "/weights.bin") != payload:
            sys.exit(f"the artifact of run {run['run_id']} came back different")


def project_load(gateway, experiment, project, count):
    submitted = [gateway.call("POST", "/api/2.0/quarkflow/projects/runs/submit", {
        "uri": project, "experiment_id": experiment, "backend": "local"})["run"]["run_id"] for _ in range(count)]
    deadline = time.monotonic() + 300
    for run_id in submitted:
        while True:
            run = gateway.call("GET", f"/api/2.0/quarkflow/projects/runs/get?run_id={run_id}")["run"]
            if run["status"] in ENDED:
                break
            if time.monotonic() > deadline:
                sys.exit(f"project run {run_id} still {run['status']} after 300 s")
            time.sleep(0.2)
        if run["status"] != "FINISHED":
            sys.exit(f"project run {run_id} ended {run['status']}: {run.get('failure_reason')}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--token-file", required=True)
    parser.add_argument("--project", required=True, help="a directory with an MLproject whose main entry is cheap")
    parser.add_argument("--runs", type=int, default=100)
    parser.add_argument("--project-runs", type=int, default=3)
    args = parser.parse_args()
    with open(args.token_file) as token:
        gateway = Gateway(args.url, token.read().strip())
    started = time.monotonic()
    experiment, runs = tracking_load(gateway, args.runs)
    artifact_load(gateway, runs)
    project_load(gateway, experiment, args.project, args.project_runs)
    print(f"load: {gateway.requests} requests through the gateway ({args.runs} runs with 3 params and 10 metric "
          f"points each, {args.runs // 2} searches and metric histories, 20 artifacts up and down, "
          f"{args.project_runs} project runs) in {time.monotonic() - started:.1f} s; {gateway.retried} answered 503 "
          f"and were tried again")


if __name__ == "__main__":
    main()
