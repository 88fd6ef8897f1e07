package io.quarkflow.artifact.domain;

import io.quarkflow.mlflow.errors.MlflowException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The single place that maps an experiment's or run's artifact URI to a key under the configured storage root,
 * or refuses it with INVALID_PARAMETER_VALUE:
 * <ul>
 * <li>{@code mlflow-artifacts:/<path>} (any authority is ignored, as MLflow's server does) is {@code <path>} under
 * the root;</li>
 * <li>{@code s3://<bucket>/<key>} only for the configured bucket, and only under its prefix;</li>
 * <li>{@code file:///<absolute path>} (or a bare absolute path) only under the local root directory.</li>
 * </ul>
 * Every path part goes through {@link ArtifactPathValidator}.
 */
public final class ArtifactLocationResolver {

    private static final Pattern SCHEME = Pattern.compile("^([A-Za-z][A-Za-z0-9+.-]*):(.*)$", Pattern.DOTALL);

    private final StorageRoot root;

    public ArtifactLocationResolver(StorageRoot root) {
        this.root = root;
    }

    /** The storage key of a URI; "" when the URI is the storage root itself. */
    public String resolve(String artifactUri) {
        if (artifactUri == null || artifactUri.isBlank()) {
            throw MlflowException.invalidParameter("Artifact URI is empty");
        }
        Matcher uri = SCHEME.matcher(artifactUri);
        if (!uri.matches()) {
            return localKey(artifactUri, artifactUri);
        }
        String rest = uri.group(2);
        return switch (uri.group(1).toLowerCase(Locale.ROOT)) {
            case "mlflow-artifacts" -> mlflowArtifactsKey(rest);
            case "s3" -> s3Key(artifactUri, rest);
            case "file" -> localKey(artifactUri, fileUriPath(artifactUri, rest));
            default -> throw outside(artifactUri);
        };
    }

    private static String mlflowArtifactsKey(String rest) {
        String path = withoutAuthority(rest);
        return ArtifactPathValidator.validateOptional(path.startsWith("/") ? path.substring(1) : path);
    }

    private String s3Key(String artifactUri, String rest) {
        if (!(root instanceof StorageRoot.S3Bucket s3) || !rest.startsWith("//")) {
            throw outside(artifactUri);
        }
        int slash = rest.indexOf('/', 2);
        String bucket = slash < 0 ? rest.substring(2) : rest.substring(2, slash);
        if (!bucket.equals(s3.bucket())) {
            throw outside(artifactUri);
        }
        String key = ArtifactPathValidator.validateOptional(slash < 0 ? "" : rest.substring(slash + 1));
        if (s3.prefix().isEmpty()) {
            return key;
        }
        if (key.equals(s3.prefix())) {
            return "";
        }
        if (!key.startsWith(s3.prefix() + "/")) {
            throw outside(artifactUri);
        }
        return key.substring(s3.prefix().length() + 1);
    }

    private String localKey(String artifactUri, String absolutePath) {
        if (!(root instanceof StorageRoot.LocalDirectory local) || !absolutePath.startsWith("/")) {
            throw outside(artifactUri);
        }
        String relative = ArtifactPathValidator.validateOptional(absolutePath.substring(1));
        Path directory = local.directory().toAbsolutePath().normalize();
        Path path = Path.of("/").resolve(relative);
        if (!path.startsWith(directory)) {
            throw outside(artifactUri);
        }
        return directory.relativize(path).toString();
    }

    /** file:///p, file:/p and file://localhost/p name the local path /p; any other host is not ours. */
    private static String fileUriPath(String artifactUri, String rest) {
        if (!rest.startsWith("//")) {
            return rest;
        }
        String authority = authority(rest);
        if (!authority.isEmpty() && !authority.equalsIgnoreCase("localhost")) {
            throw outside(artifactUri);
        }
        return withoutAuthority(rest);
    }

    private static String withoutAuthority(String rest) {
        return rest.startsWith("//") ? rest.substring(2 + authority(rest).length()) : rest;
    }

    private static String authority(String rest) {
        int slash = rest.indexOf('/', 2);
        return slash < 0 ? rest.substring(2) : rest.substring(2, slash);
    }

    private static MlflowException outside(String artifactUri) {
        return MlflowException.invalidParameter(
                "Artifact URI '" + artifactUri + "' is not inside this service's artifact storage");
    }
}
