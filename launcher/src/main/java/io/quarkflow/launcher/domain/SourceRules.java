package io.quarkflow.launcher.domain;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Checks on the parts of a request that end up in file paths, Git command lines and URLs. Each value is still
 * passed as a separate argument (never through a shell); these checks keep it from being read as an option, a
 * path outside the run's directory, or a different URL.
 */
public final class SourceRules {

    public static final String GIT = "git";
    public static final String ARCHIVE = "archive";
    public static final String LOCAL = "local";

    /** projects-service resolves branches and tags to a commit: an abbreviated or full SHA-1 or SHA-256. */
    private static final Pattern COMMIT = Pattern.compile("[0-9a-fA-F]{7,64}");
    /** MLflow's run ids are 32 hex digits; this also admits other generators' ids that are safe as a file name. */
    private static final Pattern RUN_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,127}");
    private static final String ARTIFACTS_SCHEME = "mlflow-artifacts";

    private SourceRules() {
    }

    /** The run id as one path segment of the run's working directory. */
    public static String runId(String runId) {
        if (runId == null || !RUN_ID.matcher(runId).matches()) {
            throw new LaunchRefused("Invalid run id " + quoted(runId));
        }
        return runId;
    }

    public static String commit(String version) {
        if (version == null || !COMMIT.matcher(version).matches()) {
            throw new LaunchRefused("Git source version " + quoted(version)
                    + " is not a commit id; projects-service resolves branches and tags to one");
        }
        return version;
    }

    /** A Git URI: anything Git takes, except what it would read as an option. */
    public static String gitUri(String uri) {
        if (uri == null || uri.isBlank() || uri.startsWith("-")) {
            throw new LaunchRefused("Invalid Git URI " + quoted(uri));
        }
        return uri;
    }

    /**
     * The project's directory inside the source as relative path segments: MLflow's {@code #subdir}, with empty
     * and {@code .} segments dropped; absolute paths and {@code ..} refused.
     */
    public static List<String> subdirectory(String subdirectory) {
        List<String> segments = new ArrayList<>();
        if (subdirectory == null || subdirectory.isEmpty()) {
            return segments;
        }
        if (subdirectory.startsWith("/") || subdirectory.contains("\\") || subdirectory.indexOf('\0') >= 0) {
            throw new LaunchRefused("Invalid project subdirectory " + quoted(subdirectory));
        }
        for (String segment : subdirectory.split("/")) {
            if (segment.equals("..")) {
                throw new LaunchRefused("Invalid project subdirectory " + quoted(subdirectory)
                        + ": it leaves the project");
            }
            if (!segment.isEmpty() && !segment.equals(".")) {
                segments.add(segment);
            }
        }
        return segments;
    }

    /**
     * Where the gateway serves an {@code mlflow-artifacts:} archive: {@code <tracking uri>/api/2.0/mlflow-artifacts
     * /artifacts/<path>}, each path segment percent-encoded, {@code ..} refused.
     */
    public static String archiveUrl(String trackingUri, String archiveUri) {
        URI uri;
        try {
            uri = new URI(archiveUri == null ? "" : archiveUri);
        } catch (URISyntaxException e) {
            throw new LaunchRefused("Invalid archive URI " + quoted(archiveUri));
        }
        if (!ARTIFACTS_SCHEME.equals(uri.getScheme()) || uri.getPath() == null) {
            throw new LaunchRefused("Archive URI " + quoted(archiveUri) + " is not an mlflow-artifacts: URI");
        }
        List<String> encoded = new ArrayList<>();
        for (String segment : uri.getPath().split("/")) {
            if (segment.equals("..") || segment.equals(".")) {
                throw new LaunchRefused("Invalid archive URI " + quoted(archiveUri));
            }
            if (!segment.isEmpty()) {
                encoded.add(URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20"));
            }
        }
        if (encoded.isEmpty()) {
            throw new LaunchRefused("Archive URI " + quoted(archiveUri) + " names no file");
        }
        return trackingUri.replaceAll("/+$", "") + "/api/2.0/mlflow-artifacts/artifacts/" + String.join("/", encoded);
    }

    /** {@code zip} or {@code tar.gz}, from the archive's name. */
    public static String archiveFormat(String archiveUri) {
        String name = archiveUri == null ? "" : archiveUri.toLowerCase(Locale.ROOT);
        if (name.endsWith(".zip")) {
            return "zip";
        }
        if (name.endsWith(".tar.gz") || name.endsWith(".tgz")) {
            return "tar.gz";
        }
        throw new LaunchRefused("Archive " + quoted(archiveUri) + " is neither a .zip nor a .tar.gz");
    }

    static String quoted(String value) {
        return value == null ? "null" : "'" + value + "'";
    }
}
