package io.quarkflow.artifact.service;

import io.quarkflow.mlflow.errors.MlflowException;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * The body of the UI's upload under MLflow's rules (handlers.py, upload_artifact_handler): not empty and at most
 * 10 MB. An announced length is judged before anything is read; a chunked body announces none, so the same rules
 * are applied as its bytes arrive, and the storage write fails before anything is stored.
 */
final class UiUploadBody extends FilterInputStream {

    static final long MAX_BYTES = 10L * 1024 * 1024;
    static final String EMPTY = "Request must specify data.";
    static final String TOO_LARGE = "Artifact size is too large. Max size is 10MB.";

    private long read;

    private UiUploadBody(InputStream body) {
        super(body);
    }

    /** {@code length} is the announced Content-Length, -1 when the body is chunked. */
    static InputStream checked(InputStream body, long length) {
        if (length == 0) {
            throw MlflowException.invalidParameter(EMPTY);
        }
        if (length > MAX_BYTES) {
            throw MlflowException.invalidParameter(TOO_LARGE);
        }
        return new UiUploadBody(body);
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        counted(b < 0 ? -1 : 1);
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = super.read(buffer, offset, length);
        counted(n);
        return n;
    }

    private void counted(int n) {
        if (n < 0 && read == 0) {
            throw MlflowException.invalidParameter(EMPTY);
        }
        read += Math.max(n, 0);
        if (read > MAX_BYTES) {
            throw MlflowException.invalidParameter(TOO_LARGE);
        }
    }
}
