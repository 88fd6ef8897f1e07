package io.quarkflow.launcher.domain;

import java.util.ArrayList;
import java.util.List;
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

    static String quoted(String value) {
        return value == null ? "null" : "'" + value + "'";
    }
}
