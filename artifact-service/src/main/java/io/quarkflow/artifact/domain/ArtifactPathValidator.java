package io.quarkflow.artifact.domain;

import io.quarkflow.mlflow.errors.MlflowException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.regex.Pattern;

/**
 * The one gate every artifact path passes before it reaches storage. It closes the shapes behind MLflow's
 * path-traversal CVEs (CVE-2023-1177, CVE-2023-6831, CVE-2023-6909, CVE-2023-30172, CVE-2024-1560, CVE-2024-1593):
 * the path is percent-decoded until it stops changing, then refused if the decoded text, or its Unicode
 * compatibility form, could name anything outside the artifact root on any file system or object store.
 */
public final class ArtifactPathValidator {

    /** MLflow's own limit (mlflow/utils/uri.py: _decode); a path still changing after this many rounds is hostile. */
    private static final int MAX_DECODE_ROUNDS = 10;

    /** A URI scheme or a Windows drive at the start of a path: "file:", "s3:", "C:". */
    private static final Pattern SCHEME_OR_DRIVE = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*:");

    /** "..", and what Windows reads as "..": any segment made only of dots and spaces. */
    private static final Pattern DOTS_AND_SPACES = Pattern.compile("^[. ]+$");

    private ArtifactPathValidator() {
    }

    /** A non-empty relative path, decoded, without a trailing slash. */
    public static String validate(String raw) {
        String path = validateOptional(raw);
        if (path.isEmpty()) {
            throw invalid();
        }
        return path;
    }

    /** Like {@link #validate}, but an absent or empty path names the root and comes back as "". */
    public static String validateOptional(String raw) {
        if (raw == null || raw.isEmpty()) {
            return "";
        }
        String decoded = decodeUntilStable(raw);
        check(decoded, raw);
        // Fullwidth "．．／" becomes "../" wherever text is NFKC-normalised (some file systems and proxies do).
        String compatible = Normalizer.normalize(decoded, Normalizer.Form.NFKC);
        if (!compatible.equals(decoded)) {
            check(compatible, raw);
        }
        return decoded.endsWith("/") ? decoded.substring(0, decoded.length() - 1) : decoded;
    }

    /** One path segment, such as the name of the client's local file in a multipart upload. */
    public static String validateFileName(String raw) {
        String name = validate(raw);
        if (name.contains("/")) {
            throw invalid();
        }
        return name;
    }

    /**
     * The local file for a validated path, refused when it leaves the root after following symlinks. A path
     * that does not exist yet is judged by its deepest existing ancestor, so an upload cannot escape through a
     * symlinked directory, and a dangling symlink is refused outright.
     */
    public static Path resolveUnder(Path root, String safePath) {
        Path realRoot = realPath(root);
        Path target = safePath.isEmpty() ? realRoot : realRoot.resolve(safePath);
        Path existing = target;
        while (!Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
            existing = existing.getParent();
        }
        try {
            if (!existing.toRealPath().startsWith(realRoot)) {
                throw invalid();
            }
        } catch (IOException e) {
            throw invalid();
        }
        return target;
    }

    private static void check(String path, String raw) {
        if (path.startsWith("/") || SCHEME_OR_DRIVE.matcher(path).find()) {
            throw invalid();
        }
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            // U+FFFD means some decoder before us met malformed bytes (overlong "%c0%ae" for "." among them).
            if (c == '\\' || c == '#' || c == ';' || c == '\uFFFD' || Character.isISOControl(c)) {
                throw invalid();
            }
        }
        String body = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        for (String segment : body.split("/", -1)) {
            if (segment.isEmpty() || DOTS_AND_SPACES.matcher(segment).matches()) {
                throw invalid();
            }
        }
    }

    private static String decodeUntilStable(String raw) {
        String current = raw;
        for (int round = 0; round < MAX_DECODE_ROUNDS; round++) {
            String next = decodeOnce(current, raw);
            if (next.equals(current)) {
                return current;
            }
            current = next;
        }
        throw invalid();
    }

    /** Percent-decoding as Python's unquote does it (a '%' not followed by two hex digits stays), but strict UTF-8. */
    private static String decodeOnce(String text, String raw) {
        if (text.indexOf('%') < 0) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        ByteBuffer bytes = ByteBuffer.allocate(text.length());
        int i = 0;
        while (i < text.length()) {
            if (isEscape(text, i)) {
                bytes.put((byte) Integer.parseInt(text, i + 1, i + 3, 16));
                i += 3;
                continue;
            }
            flush(bytes, out, raw);
            out.append(text.charAt(i++));
        }
        flush(bytes, out, raw);
        return out.toString();
    }

    /** Overlong and other malformed UTF-8 ("%c0%ae" for ".") is refused, not replaced. */
    private static void flush(ByteBuffer bytes, StringBuilder out, String raw) {
        if (bytes.position() == 0) {
            return;
        }
        bytes.flip();
        try {
            out.append(StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(bytes));
        } catch (CharacterCodingException e) {
            throw invalid();
        }
        bytes.clear();
    }

    private static boolean isEscape(String text, int i) {
        return text.charAt(i) == '%' && i + 2 < text.length() && isHex(text.charAt(i + 1)) && isHex(text.charAt(i + 2));
    }

    private static boolean isHex(char c) {
        return Character.digit(c, 16) >= 0 && c < 128;
    }

    private static Path realPath(Path root) {
        try {
            return root.toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException("Artifact root " + root + " is not accessible", e);
        }
    }

    /** MLflow's wording, exactly: its validate_path_is_safe never quotes the path back (mlflow/utils/uri.py). */
    private static MlflowException invalid() {
        return MlflowException.invalidParameter("Invalid path");
    }
}
