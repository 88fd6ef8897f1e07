"""A local project directory, packed and uploaded through the artifact proxy so that the server can run it."""

import io
import os
import tarfile
import uuid

from mlflow.utils.rest_utils import http_request, verify_rest_response

# What a project never needs on the server: version control data and local environments.
_SKIPPED = {".git", ".venv", "venv", "__pycache__", "mlruns", ".mlflow"}


def upload_directory(host_creds, directory):
    """Packs ``directory`` as a .tar.gz, uploads it and returns its ``mlflow-artifacts:/`` URI."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for root, dirs, files in os.walk(directory):
            dirs[:] = sorted(d for d in dirs if d not in _SKIPPED)
            for name in sorted(files):
                path = os.path.join(root, name)
                if os.path.islink(path):
                    continue  # a link could point anywhere on this machine
                archive.add(path, arcname=os.path.relpath(path, directory), recursive=False)
    path = f"projects/{uuid.uuid4().hex}/{os.path.basename(os.path.abspath(directory)) or 'project'}.tar.gz"
    endpoint = "/api/2.0/mlflow-artifacts/artifacts/" + path
    response = http_request(host_creds, endpoint, "PUT", data=buffer.getvalue())
    verify_rest_response(response, endpoint)
    return "mlflow-artifacts:/" + path
