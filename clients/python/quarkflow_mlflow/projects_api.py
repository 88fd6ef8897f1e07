"""Quarkflow's project-run API (/api/2.0/quarkflow/projects/runs/...) through the gateway.

Requests go through MLflow's own REST helper with the credentials MLflow's client already uses
(MLFLOW_TRACKING_TOKEN, or MLFLOW_TRACKING_USERNAME/PASSWORD), so nothing new has to be configured.
"""

import json

from mlflow.utils.rest_utils import http_request, verify_rest_response

API = "/api/2.0/quarkflow/projects/runs"


class ProjectsApi:
    def __init__(self, host_creds):
        self._creds = host_creds

    def submit(self, body):
        return self._json("POST", "/submit", json=body)["run"]

    def get(self, run_id):
        return self._json("GET", "/get", params={"run_id": run_id})["run"]

    def cancel(self, run_id):
        return self._json("POST", "/cancel", json={"run_id": run_id})["run"]

    def logs(self, run_id, follow=False, tail=None):
        """The run's output as it comes, in chunks of text; with follow, until the run ends."""
        params = {"run_id": run_id, "follow": "true" if follow else "false"}
        if tail is not None:
            params["tail"] = str(tail)
        response = http_request(self._creds, API + "/logs", "GET", params=params, stream=True,
                                timeout=None if follow else 120, max_retries=0)
        if response.status_code != 200:  # an MLflow error body; a 200 is the log itself, not JSON
            verify_rest_response(response, API + "/logs")
        try:
            for chunk in response.iter_content(chunk_size=None, decode_unicode=True):
                if chunk:
                    yield chunk
        finally:
            response.close()

    def _json(self, method, path, **kwargs):
        response = http_request(self._creds, API + path, method, **kwargs)
        verify_rest_response(response, API + path)
        return json.loads(response.text)
