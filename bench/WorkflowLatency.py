"""How long a workflow's second step waits for its first: from the first step's run.terminated event to the second
step's run turning RUNNING, read from the run events on Kafka (their CloudEvents `time`, stamped by tracking-service
as each change commits). Submits two-step workflows of trivial steps through the gateway, --warmup of them first (not
counted), then --count with at most --concurrency in flight, and prints count, p50, p90, p99 and max in ms.

  python3 WorkflowLatency.py --url http://127.0.0.1:5000 --token-file TOKEN --project DIR --kafka-port 9092
      [--count 100] [--concurrency 1] [--warmup 10]
"""
import argparse
import concurrent.futures
import json
import math
import os
import re
import subprocess
import sys
import time
import urllib.request
from datetime import datetime

WATCH = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "deploy", "kafka", "watch-run-events.sh")
ENDED = {"FINISHED", "FAILED", "KILLED"}


def api(args, path, body=None):
    request = urllib.request.Request(args.url + "/api/2.0/quarkflow/workflows/" + path,
                                     data=None if body is None else json.dumps(body).encode(),
                                     headers={"Authorization": "Bearer " + args.token,
                                              "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.load(response)["workflow"]


def run_workflow(args, experiment):
    """Submits one workflow and polls it every 100 ms until it ends; returns it as the last get answered."""
    workflow = api(args, "submit", {"experiment_name": experiment, "workflow": {
        "name": "bench", "uri": args.project, "backend": "local", "reuse": False,
        "steps": [{"name": "first", "entry_point": "first"},
                  {"name": "second", "entry_point": "second", "depends_on": ["first"]}]}})
    deadline = time.monotonic() + 300
    while workflow["status"] not in ENDED:
        if time.monotonic() > deadline:
            sys.exit(f"workflow {workflow['workflow_id']} still {workflow['status']} after 300 s")
        time.sleep(0.1)
        workflow = api(args, "get?workflow_id=" + workflow["workflow_id"])
    return workflow


def run_all(args, experiment, count):
    with concurrent.futures.ThreadPoolExecutor(args.concurrency) as pool:
        workflows = list(pool.map(lambda _: run_workflow(args, experiment), range(count)))
    failed = [w for w in workflows if w["status"] != "FINISHED"]
    for w in failed:
        print(f"workflow {w['workflow_id']} ended {w['status']}: "
              + json.dumps([(s["name"], s["status"], s.get("failure_reason")) for s in w["steps"]]), file=sys.stderr)
    if failed:
        sys.exit(f"{len(failed)} of {count} workflows did not finish")
    return workflows


def event_time(text):
    """An RFC 3339 UTC time to seconds since the epoch, with all the digits of its fraction."""
    whole, fraction = re.fullmatch(r"(.+?)(?:\.(\d+))?Z", text).groups()
    return datetime.fromisoformat(whole + "+00:00").timestamp() + float("0." + (fraction or "0"))


def read_events(args):
    """Each run's event times by kind: terminated, created, running. The topic may hold an event twice (at least
    once delivery); both copies carry the same time."""
    output = subprocess.run(["bash", WATCH, "--from-beginning", "--timeout-ms", "10000"], capture_output=True,
                            text=True, env={**os.environ, "QUARKFLOW_KAFKA_PORT": str(args.kafka_port)})
    times = {}
    for line in output.stdout.splitlines():
        if "\t" not in line:
            continue
        event = json.loads(line.split("\t", 1)[1])
        data = event["data"]
        kind = {"io.quarkflow.run.terminated": "terminated", "io.quarkflow.run.created": "created"}.get(event["type"])
        if event["type"] == "io.quarkflow.run.status-changed" and data["new_status"] == "RUNNING":
            kind = "running"
        if kind:
            times.setdefault(data["run_id"], {}).setdefault(kind, event_time(event["time"]))
    if not times:
        sys.exit("no run events read from Kafka:\n" + output.stderr)
    return times


def percentile(ordered, p):
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--token-file", required=True)
    parser.add_argument("--project", required=True)
    parser.add_argument("--kafka-port", type=int, required=True)
    parser.add_argument("--count", type=int, default=100)
    parser.add_argument("--concurrency", type=int, default=1)
    parser.add_argument("--warmup", type=int, default=10)
    args = parser.parse_args()
    with open(args.token_file) as file:
        args.token = file.read().strip()

    if args.warmup:
        run_all(args, "workflow-latency-warmup", args.warmup)
    started = time.monotonic()
    workflows = run_all(args, "workflow-latency", args.count)
    elapsed = time.monotonic() - started
    times = read_events(args)

    rows = {"first terminated -> second RUNNING": [], "first terminated -> second created": [],
            "second created -> second RUNNING": []}
    for workflow in workflows:
        first, second = ({s["name"]: s["run_id"] for s in workflow["steps"]}[n] for n in ("first", "second"))
        try:
            terminated, created, running = (times[first]["terminated"], times[second]["created"],
                                            times[second]["running"])
        except KeyError as missing:
            sys.exit(f"workflow {workflow['workflow_id']}: no {missing} event on Kafka")
        for row, ms in zip(rows.values(), ((running - terminated) * 1000, (created - terminated) * 1000,
                                           (running - created) * 1000)):
            row.append(ms)

    print(f"{args.count} two-step workflows, {args.concurrency} in flight, after {args.warmup} warm-up: "
          f"{elapsed:.1f} s, {args.count / elapsed:.2f} workflows/s")
    print(f"{'(ms)':<36}{'count':>6}{'p50':>8}{'p90':>8}{'p99':>8}{'max':>8}")
    for name, values in rows.items():
        ordered = sorted(values)
        print(f"{name:<36}{len(ordered):>6}" + "".join(f"{percentile(ordered, p):>8.0f}" for p in (50, 90, 99))
              + f"{ordered[-1]:>8.0f}")


if __name__ == "__main__":
    main()
