"""Run artifacts through the gateway's artifact proxy: upload, list, download, load."""

import json
from pathlib import Path

import matplotlib.pyplot as plt
import mlflow
import pandas as pd
import pytest
import yaml
from mlflow.exceptions import MlflowException

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def files_under(root):
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(Path(root).rglob("*")) if p.is_file()}


def listing(client, run_id, path=None):
    return sorted((f.path, f.is_dir, f.file_size) for f in client.list_artifacts(run_id, path))


@pytest.fixture
def report_tree(tmp_path):
    """reports/ with YAML, a PNG plot and parquet frames, two levels deep."""
    root = tmp_path / "reports"
    (root / "plots").mkdir(parents=True)
    (root / "summary.yaml").write_text(yaml.safe_dump({"model": "ridge", "folds": 2, "alpha": [0.1, 1.0]}))
    figure, axes = plt.subplots(figsize=(3, 2))
    axes.plot([0, 1, 2, 3], [1.0, 0.6, 0.4, 0.35])
    figure.savefig(root / "plots" / "loss.png")
    plt.close(figure)
    for fold in (0, 1):
        directory = root / "folds" / str(fold)
        directory.mkdir(parents=True)
        frame = pd.DataFrame({"row": range(50), "prediction": [fold + i / 50 for i in range(50)]})
        frame.to_parquet(directory / "predictions.parquet")
        (directory / "metrics.yaml").write_text(yaml.safe_dump({"fold": fold, "rmse": 0.25 + fold}))
    return root


def test_log_artifact_with_and_without_artifact_path(experiment, client, tmp_path):
    notes = tmp_path / "notes.txt"
    notes.write_text("first line\nsecond line, ünïcode\n", encoding="utf-8")
    config = tmp_path / "config.json"
    config.write_text(json.dumps({"lr": 0.01, "layers": [64, 32]}))
    with mlflow.start_run() as run:
        mlflow.log_artifact(str(notes))
        mlflow.log_artifact(str(config), artifact_path="configs/v1")
    run_id = run.info.run_id
    assert run.info.artifact_uri == f"{experiment.artifact_location}/{run_id}/artifacts"
    assert run.info.artifact_uri.startswith("mlflow-artifacts:/")

    assert listing(client, run_id) == [("configs", True, None), ("notes.txt", False, notes.stat().st_size)]
    assert mlflow.artifacts.load_text(f"runs:/{run_id}/notes.txt") == notes.read_text(encoding="utf-8")
    assert mlflow.artifacts.load_dict(f"runs:/{run_id}/configs/v1/config.json") == {"lr": 0.01, "layers": [64, 32]}
    downloaded = mlflow.artifacts.download_artifacts(run_id=run_id, artifact_path="configs/v1/config.json",
                                                     dst_path=str(tmp_path / "download"))
    assert Path(downloaded).read_bytes() == config.read_bytes()
    (tmp_path / "all").mkdir()  # MLflow 2 downloads only into a directory that exists
    everything = client.download_artifacts(run_id, "", str(tmp_path / "all"))
    assert files_under(everything) == {"notes.txt": notes.read_bytes(), "configs/v1/config.json": config.read_bytes()}


def test_log_artifacts_of_a_tree_and_download_it(experiment, client, report_tree, tmp_path):
    with mlflow.start_run() as run:
        mlflow.log_artifacts(str(report_tree), artifact_path="reports")
    run_id = run.info.run_id

    assert listing(client, run_id) == [("reports", True, None)]
    local = mlflow.artifacts.download_artifacts(run_id=run_id, artifact_path="reports", dst_path=str(tmp_path / "dl"))
    assert files_under(local) == files_under(report_tree)
    assert Path(local, "plots", "loss.png").read_bytes().startswith(PNG_SIGNATURE)
    fold = pd.read_parquet(Path(local, "folds", "1", "predictions.parquet"))
    pd.testing.assert_frame_equal(fold, pd.read_parquet(report_tree / "folds" / "1" / "predictions.parquet"))
    summary = mlflow.artifacts.load_text(f"runs:/{run_id}/reports/summary.yaml")
    assert yaml.safe_load(summary) == {"model": "ridge", "folds": 2, "alpha": [0.1, 1.0]}


def test_log_text_dict_and_figure(experiment, client):
    figure, axes = plt.subplots(figsize=(2, 2))
    axes.bar(["a", "b"], [3, 5])
    with mlflow.start_run() as run:
        mlflow.log_text("plain", "notes/plain.txt")
        mlflow.log_dict({"classes": ["cat", "dog"], "threshold": 0.5}, "meta/labels.yaml")
        mlflow.log_figure(figure, "plots/bars.png")
    plt.close(figure)
    run_id = run.info.run_id

    assert mlflow.artifacts.load_text(f"runs:/{run_id}/notes/plain.txt") == "plain"
    assert yaml.safe_load(mlflow.artifacts.load_text(f"runs:/{run_id}/meta/labels.yaml")) == {
        "classes": ["cat", "dog"], "threshold": 0.5}
    assert mlflow.artifacts.load_image(f"runs:/{run_id}/plots/bars.png").size == (200, 200)
    assert [p for p, _, _ in listing(client, run_id)] == ["meta", "notes", "plots"]


def test_log_table_and_load_it(experiment):
    with mlflow.start_run() as run:
        mlflow.log_table({"x": [1, 2, 3], "label": ["a", "b", "c"]}, artifact_file="tables/predictions.json")
        mlflow.log_table({"x": [4], "label": ["d"]}, artifact_file="tables/predictions.json")  # appends

    table = mlflow.load_table("tables/predictions.json", run_ids=[run.info.run_id])
    assert table[["x", "label"]].to_dict("list") == {"x": [1, 2, 3, 4], "label": ["a", "b", "c", "d"]}


def test_list_artifacts_of_nested_directories(experiment, client, report_tree):
    with mlflow.start_run() as run:
        mlflow.log_artifacts(str(report_tree), artifact_path="reports")
    run_id = run.info.run_id

    def size(relative):
        return (report_tree / relative).stat().st_size

    assert listing(client, run_id, "reports") == [
        ("reports/folds", True, None), ("reports/plots", True, None),
        ("reports/summary.yaml", False, size("summary.yaml"))]
    assert listing(client, run_id, "reports/folds") == [
        ("reports/folds/0", True, None), ("reports/folds/1", True, None)]
    assert listing(client, run_id, "reports/folds/0") == [
        ("reports/folds/0/metrics.yaml", False, size("folds/0/metrics.yaml")),
        ("reports/folds/0/predictions.parquet", False, size("folds/0/predictions.parquet"))]
    assert listing(client, run_id, "reports/absent") == []


def test_missing_artifact_is_not_found(experiment, tmp_path):
    with mlflow.start_run() as run:
        mlflow.log_text("present", "present.txt")
    with pytest.raises(MlflowException):
        mlflow.artifacts.load_text(f"runs:/{run.info.run_id}/absent.txt")
    with pytest.raises(MlflowException):
        mlflow.artifacts.download_artifacts(run_id=run.info.run_id, artifact_path="absent/dir",
                                            dst_path=str(tmp_path))
    assert mlflow.artifacts.load_text(f"runs:/{run.info.run_id}/present.txt") == "present"

