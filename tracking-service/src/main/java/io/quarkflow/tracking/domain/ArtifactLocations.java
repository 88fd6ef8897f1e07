package io.quarkflow.tracking.domain;

import io.quarkflow.mlflow.errors.MlflowException;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The artifact locations an experiment may be created with: URIs under one of the allowed prefixes. Every MLflow
 * client of an experiment writes its artifacts where the experiment's location says, so a location the suite does not
 * serve ({@code file:///etc}, {@code http://169.254.169.254/}, another bucket) would send teammates' files there
 * (MLflow's CVE-2024-27132/27133 class).
 *
 * <p>Locations and prefixes are compared normalized: scheme and host in lower case, an empty host as none, a path
 * without a scheme as {@code file:}, each path segment percent-decoded until stable. A prefix ends at a segment
 * boundary ({@code s3://bucket/a} covers {@code s3://bucket/a/b}, not {@code s3://bucket/ab}), and the host is
 * compared whole ({@code s3://bucket} does not cover {@code s3://bucket-other}). What a client could read otherwise
 * than this comparison does is refused rather than interpreted: {@code .} and {@code ..} segments, empty segments,
 * slashes or backslashes hidden by percent-encoding, a query, a relative path, control characters.
 */
public final class ArtifactLocations {

    private static final Pattern SCHEME = Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*):(.*)", Pattern.DOTALL);
    /** Enough for any honest URI; more layers of encoding are a trick. */
    private static final int MAX_DECODINGS = 4;

    private final List<String> prefixes;
    private final List<Location> allowed;

    private ArtifactLocations(List<String> prefixes, List<Location> allowed) {
        this.prefixes = prefixes;
        this.allowed = allowed;
    }

    /**
     * @param prefixes the allowed URI prefixes, e.g. {@code mlflow-artifacts:/}, {@code s3://bucket/team}
     * @throws IllegalArgumentException naming the prefix that is no usable URI
     */
    public static ArtifactLocations allowing(List<String> prefixes) {
        List<Location> allowed = new ArrayList<>();
        for (String prefix : prefixes) {
            try {
                allowed.add(Location.parse(prefix));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("Allowed artifact location '" + prefix + "' " + e.getMessage(), e);
            }
        }
        return new ArtifactLocations(List.copyOf(prefixes), List.copyOf(allowed));
    }

    /** Refuses a location outside every allowed prefix with MLflow's INVALID_PARAMETER_VALUE. */
    public void requireAllowed(String location) {
        refusal(location).ifPresent(reason -> {
            throw MlflowException.invalidParameter("'artifact_location' " + location + " is not allowed: " + reason
                    + ".");
        });
    }

    /**
     * Why a URI is not inside an allowed prefix, worded to follow "is not allowed: "; empty when it is inside one.
     * Model version sources are held to the same list (a client loads a version from where its source says).
     */
    public Optional<String> refusal(String uri) {
        Location parsed;
        try {
            parsed = Location.parse(uri);
        } catch (IllegalArgumentException e) {
            return Optional.of("it " + e.getMessage());
        }
        if (allowed.stream().noneMatch(parsed::isUnder)) {
            return Optional.of("this server accepts only artifact locations under " + String.join(", ", prefixes)
                    + " (quarkflow.tracking.artifact-locations)");
        }
        return Optional.empty();
    }

    /** A URI reduced to what decides where it points: scheme, host (null for none) and decoded path segments. */
    record Location(String scheme, String authority, List<String> segments) {

        boolean isUnder(Location prefix) {
            return scheme.equals(prefix.scheme) && Objects.equals(authority, prefix.authority)
                    && segments.size() >= prefix.segments.size()
                    && segments.subList(0, prefix.segments.size()).equals(prefix.segments);
        }

        /** @throws IllegalArgumentException with the reason, worded to follow "it" */
        static Location parse(String uri) {
            if (uri.chars().anyMatch(Character::isISOControl)) {
                throw new IllegalArgumentException("contains control characters");
            }
            if (uri.indexOf('\\') >= 0) {
                throw new IllegalArgumentException("contains a backslash");
            }
            if (uri.indexOf('?') >= 0 || uri.indexOf('#') >= 0) {
                throw new IllegalArgumentException("has a query or a fragment");
            }
            Matcher matcher = SCHEME.matcher(uri);
            String scheme = "file";
            String rest = uri;
            if (matcher.matches()) {
                scheme = matcher.group(1).toLowerCase(Locale.ROOT);
                rest = matcher.group(2);
            }
            String authority = null;
            if (rest.startsWith("//")) {
                int end = rest.indexOf('/', 2);
                authority = authority(rest.substring(2, end < 0 ? rest.length() : end));
                rest = end < 0 ? "" : rest.substring(end);
            } else if (!rest.startsWith("/")) {
                throw new IllegalArgumentException("is not an absolute URI or path");
            }
            return new Location(scheme, authority, segments(rest));
        }

        private static String authority(String raw) {
            String decoded = decode(raw);
            if (decoded.indexOf('/') >= 0 || decoded.indexOf('\\') >= 0 || decoded.chars().anyMatch(Character::isISOControl)) {
                throw new IllegalArgumentException("hides a separator in its host");
            }
            return decoded.isEmpty() ? null : decoded.toLowerCase(Locale.ROOT);
        }

        /** "" and "/" are the root; one trailing slash is no segment of its own. */
        private static List<String> segments(String path) {
            String trimmed = path.startsWith("/") ? path.substring(1) : path;
            if (trimmed.endsWith("/")) {
                trimmed = trimmed.substring(0, trimmed.length() - 1);
            }
            List<String> segments = new ArrayList<>();
            if (trimmed.isEmpty()) {
                return segments;
            }
            for (String raw : trimmed.split("/", -1)) {
                String segment = decode(raw);
                if (segment.isEmpty()) {
                    throw new IllegalArgumentException("has an empty path segment");
                }
                if (segment.equals(".") || segment.equals("..")) {
                    throw new IllegalArgumentException("has a '.' or '..' path segment");
                }
                if (segment.indexOf('/') >= 0 || segment.indexOf('\\') >= 0) {
                    throw new IllegalArgumentException("hides a slash or backslash in percent-encoding");
                }
                if (segment.chars().anyMatch(Character::isISOControl)) {
                    throw new IllegalArgumentException("hides control characters in percent-encoding");
                }
                segments.add(segment);
            }
            return segments;
        }

        /** Percent-decodes (UTF-8) until nothing changes. */
        private static String decode(String text) {
            String current = text;
            for (int round = 0; round <= MAX_DECODINGS; round++) {
                String next = decodeOnce(current);
                if (next.equals(current)) {
                    return current;
                }
                current = next;
            }
            throw new IllegalArgumentException("is percent-encoded too many times");
        }

        private static String decodeOnce(String text) {
            if (text.indexOf('%') < 0) {
                return text;
            }
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
            for (int i = 0; i < utf8.length; i++) {
                if (utf8[i] == '%') {
                    int high = i + 2 < utf8.length ? Character.digit(utf8[i + 1], 16) : -1;
                    int low = high < 0 ? -1 : Character.digit(utf8[i + 2], 16);
                    if (low < 0) {
                        throw new IllegalArgumentException("has a malformed percent-encoding");
                    }
                    bytes.write(high * 16 + low);
                    i += 2;
                } else {
                    bytes.write(utf8[i]);
                }
            }
            try {
                return StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
            } catch (CharacterCodingException e) {
                throw new IllegalArgumentException("has a percent-encoding that is no UTF-8");
            }
        }
    }
}
