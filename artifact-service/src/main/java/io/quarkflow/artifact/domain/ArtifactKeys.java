package io.quarkflow.artifact.domain;

/** Keys are relative, validated paths under the storage root; "" is the root itself. */
public final class ArtifactKeys {

    private ArtifactKeys() {
    }

    public static String join(String parent, String child) {
        if (parent.isEmpty()) {
            return child;
        }
        return child.isEmpty() ? parent : parent + "/" + child;
    }

    /** The last segment of a client's local file path, which may use either separator (MLflow's basename). */
    public static String fileName(String localPath) {
        int slash = Math.max(localPath.lastIndexOf('/'), localPath.lastIndexOf('\\'));
        return localPath.substring(slash + 1);
    }
}
