package io.quarkflow.artifact;

/** Names the test infrastructure and the tests agree on; constants, so every class loader sees the same values. */
public final class TestStorage {

    public static final String BUCKET = "artifacts";
    public static final String PREFIX = "mlflow";
    public static final String ACCESS_KEY = "quarkflow-test";
    public static final String SECRET_KEY = "quarkflow-test-secret";
    /** Config key of the temporary directory holding the local root ("root") and files outside it. */
    public static final String BASE_DIR = "quarkflow.test.base-dir";

    private TestStorage() {
    }
}
