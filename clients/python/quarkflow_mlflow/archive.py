"""A local project directory, packed and uploaded through the artifact proxy so that the server can run it."""

import gzip
import hashlib
import io
import os
import re
import tarfile

from mlflow.utils.rest_utils import http_request, verify_rest_response

# What a project never needs on the server: version control data and local environments.
_SKIPPED = {".git", ".venv", "venv", "__pycache__", "mlruns", ".mlflow"}


def upload_directory(host_creds, directory):
    """Packs ``directory`` as a .tar.gz, uploads it and returns its ``mlflow-artifacts:/`` URI. The archive is named
    after its content, so the same directory gives the same URI and the server can reuse a finished workflow step."""
    data = pack(directory)
    name = re.sub(r"[^A-Za-z0-9._-]", "_", os.path.basename(os.path.abspath(directory))) or "project"
    path = f"projects/sha256-{hashlib.sha256(data).hexdigest()}/{name}.tar.gz"
    endpoint = "/api/2.0/mlflow-artifacts/artifacts/" + path
    response = http_request(host_creds, endpoint, "PUT", data=data)
    verify_rest_response(response, endpoint)
    return "mlflow-artifacts:/" + path


def pack(directory):
    """The .tar.gz of ``directory``, its bytes depending on the content alone (the same as ``./quarkflow run`` packs):
    regular files only, in walk order with sorted names, mtime 0, owner 0 without names, mode 644 or 755, and a gzip
    header without a time."""
    buffer = io.BytesIO()
    with gzip.GzipFile(fileobj=buffer, mode="wb", compresslevel=6, mtime=0) as compressed:
        with tarfile.open(fileobj=compressed, mode="w", format=tarfile.PAX_FORMAT) as archive:
            for root, dirs, files in os.walk(directory):
                dirs[:] = sorted(d for d in dirs if d not in _SKIPPED)
                for name in sorted(files):
                    path = os.path.join(root, name)
                    if os.path.islink(path) or not os.path.isfile(path):
                        continue  # a link could point anywhere on this machine
                    # A TarInfo of our own rather than tarfile's: it would copy times and owners, and write a second
                    # hard link to a file as a link entry, which the server refuses.
                    info = tarfile.TarInfo(os.path.relpath(path, directory).replace(os.sep, "/"))
                    with open(path, "rb") as content:
                        status = os.fstat(content.fileno())
                        info.size = status.st_size
                        info.mode = 0o755 if status.st_mode & 0o100 else 0o644
                        archive.addfile(info, content)
    return buffer.getvalue()
