package io.quarkflow.mlproject;

import io.quarkflow.mlflow.errors.Python;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Where a project comes from: MLflow's {@code uri#subdirectory} (projects/utils.py {@code _parse_subdirectory}).
 *
 * <p>MLflow reads any URI ending in {@code .zip} as an archive, an existing path (relative or {@code file://}) as a
 * local project and anything else as a Git URI, handed to git as it is (so {@code ext::sh -c ...} or a leading
 * {@code -} reach git), and it refuses every '.' in the subdirectory. We accept only the forms listed on
 * {@link #parse}, so what reaches git, an HTTP client or the file system is a plain URL or an absolute path and never
 * an option or a transport helper; we allow dots inside names ({@code examples/v1.2}) but not {@code .} segments or
 * {@code ..}.
 *
 * @param uri          the project URI without its {@code #subdirectory}
 * @param subdirectory the directory inside the repository, archive or path that holds the MLproject; "" for none
 */
public record ProjectSource(Kind kind, String uri, String subdirectory) {

    public enum Kind { GIT, ARCHIVE, LOCAL }

    private static final Pattern SCHEME = Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*):.*", Pattern.DOTALL);
    /** scp-like Git: user@host:path, as git itself reads it when there is no "://". */
    private static final Pattern SCP_LIKE =
            Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]*@[A-Za-z0-9][A-Za-z0-9.-]*:[^-].*", Pattern.DOTALL);
    private static final Pattern VERSION = Pattern.compile("[A-Za-z0-9._/-]+");
    private static final Set<String> GIT_SCHEMES = Set.of("https", "http", "ssh", "git");
    private static final Set<String> ARCHIVE_SCHEMES = Set.of("mlflow-artifacts", "https", "http", "s3");
    private static final String FORMS = "a Git URI (https://, http://, ssh://, git://, git@host:path), an archive "
            + "URI ending in .zip, .tar.gz or .tgz (mlflow-artifacts:, http(s)://, s3://) or an absolute path";

    public ProjectSource {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(subdirectory, "subdirectory");
    }

    /**
     * Parses a user's project URI. Surrounding quotes are stripped, as MLflow does; the subdirectory is what follows
     * the first '#' (a trailing '/' is dropped).
     *
     * <ul>
     * <li>GIT: {@code https://}, {@code http://}, {@code ssh://}, {@code git://} with a host, or scp-like
     * {@code git@host:path};</li>
     * <li>ARCHIVE: a path ending in {@code .zip}, {@code .tar.gz} or {@code .tgz} under {@code mlflow-artifacts:},
     * {@code http(s)://} or {@code s3://}; the subdirectory then names a directory inside the archive;</li>
     * <li>LOCAL: an absolute, normalised file system path (a local {@code .zip} is LOCAL too: no {@code file:} URIs,
     * no relative paths).</li>
     * </ul>
     *
     * @throws ProjectException for anything else (relative paths, other schemes, a leading '-', control characters)
     *                          or an unsafe subdirectory: MLflow's "'.' is not allowed in project subdirectory
     *                          paths." for a '.' segment or any "..", a clear message for a leading '/', "//"
     *                          or a backslash
     */
    public static ProjectSource parse(String projectUri) {
        if (projectUri == null || projectUri.isBlank()) {
            throw new ProjectException("A project URI is required: " + FORMS);
        }
        String unquoted = projectUri.replaceAll("^['\"]+|['\"]+$", "");
        if (unquoted.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new ProjectException("The project URI has a control character: " + Python.repr(projectUri));
        }
        int hash = unquoted.indexOf('#');
        String base = hash < 0 ? unquoted : unquoted.substring(0, hash);
        String subdirectory = hash < 0 ? "" : checkSubdirectory(unquoted.substring(hash + 1));
        return new ProjectSource(kindOf(base), base, subdirectory);
    }

    /**
     * Checks a Git version (branch, tag or commit) so git cannot read it as an option or a revision expression:
     * non-empty, at most 255 characters of {@code [A-Za-z0-9._/-]}, no leading '-' or '/', no "..", "//" or "@{",
     * not ending in ".lock" or "/". MLflow passes the version to git unchecked.
     *
     * @return the version; null (the default branch) is allowed
     */
    public static String checkVersion(String version) {
        if (version == null) {
            return null;
        }
        if (version.isEmpty() || version.length() > 255 || !VERSION.matcher(version).matches()
                || version.startsWith("-") || version.startsWith("/") || version.endsWith("/")
                || version.endsWith(".lock") || version.contains("..") || version.contains("//")
                || version.contains("@{")) {
            throw new ProjectException("Invalid Git version " + Python.repr(version) + ": give a branch, tag or "
                    + "commit of at most 255 characters from [A-Za-z0-9._/-], not starting with '-' or '/', "
                    + "without '..' or '//', not ending in '.lock' or '/'");
        }
        return version;
    }

    private static Kind kindOf(String base) {
        if (base.isEmpty()) {
            throw new ProjectException("The project URI names no location: give " + FORMS);
        }
        if (base.startsWith("-")) {
            throw new ProjectException("A project URI cannot start with '-': " + Python.repr(base));
        }
        if (base.startsWith("/")) {
            return local(base);
        }
        if (SCP_LIKE.matcher(base).matches()) {
            return Kind.GIT;
        }
        if (base.matches("[^/:]*@[^/]*:.*")) {
            throw new ProjectException("Invalid scp-like Git URI " + Python.repr(base) + ": give user@host:path, "
                    + "with neither host nor path starting with '-'");
        }
        var scheme = SCHEME.matcher(base);
        if (!scheme.matches()) {
            throw new ProjectException("Relative project paths are not supported: " + Python.repr(base)
                    + "; give " + FORMS);
        }
        String name = scheme.group(1).toLowerCase(Locale.ROOT);
        if (name.equals("file")) {
            throw new ProjectException("file: URIs are not supported for projects; give an absolute path instead of "
                    + Python.repr(base));
        }
        URI uri = parseUri(base);
        if (ARCHIVE_SCHEMES.contains(name) && isArchive(uri)) {
            requireHost(uri, name.equals("mlflow-artifacts"));
            return Kind.ARCHIVE;
        }
        if (GIT_SCHEMES.contains(name)) {
            requireHost(uri, false);
            return Kind.GIT;
        }
        if (ARCHIVE_SCHEMES.contains(name)) {
            throw new ProjectException("A project URI with scheme '" + name + "' must name a .zip, .tar.gz or .tgz "
                    + "archive: " + Python.repr(base));
        }
        throw new ProjectException("Unsupported project URI scheme '" + name + "' in " + Python.repr(base)
                + "; give " + FORMS);
    }

    private static Kind local(String path) {
        if (path.contains("\\") || (path + "/").contains("/../") || (path + "/").contains("/./")) {
            throw new ProjectException("A project path must be absolute and normalised (no '.', '..' or '\\'): "
                    + Python.repr(path));
        }
        return Kind.LOCAL;
    }

    private static URI parseUri(String text) {
        try {
            return new URI(text);
        } catch (URISyntaxException e) {
            throw new ProjectException("Invalid project URI " + Python.repr(text) + ": " + e.getReason());
        }
    }

    private static boolean isArchive(URI uri) {
        String path = (uri.getPath() != null ? uri.getPath() : uri.getSchemeSpecificPart()).toLowerCase(Locale.ROOT);
        return path.endsWith(".zip") || path.endsWith(".tar.gz") || path.endsWith(".tgz");
    }

    /** A host that git, ssh or an HTTP client cannot take for an option ("ssh://-oProxyCommand=..."). */
    private static void requireHost(URI uri, boolean optional) {
        String host = uri.getHost();
        boolean hostless = host == null && uri.getRawAuthority() == null;
        if (hostless && optional) {
            return;
        }
        if (host == null || host.startsWith("-")
                || (uri.getRawUserInfo() != null && uri.getRawUserInfo().startsWith("-"))) {
            throw new ProjectException("The project URI " + Python.repr(uri.toString()) + " has no valid host");
        }
    }

    private static String checkSubdirectory(String raw) {
        String subdirectory = raw.endsWith("/") && raw.length() > 1 ? raw.substring(0, raw.length() - 1) : raw;
        for (String segment : subdirectory.split("/", -1)) {
            if (segment.equals(".") || segment.contains("..")) {
                throw new ProjectException("'.' is not allowed in project subdirectory paths.");
            }
        }
        if (subdirectory.startsWith("/") || subdirectory.contains("//") || subdirectory.contains("\\")) {
            throw new ProjectException("Invalid project subdirectory " + Python.repr(raw)
                    + ": give a relative path such as examples/sklearn (no leading '/', no '//' or '\\')");
        }
        return subdirectory;
    }
}
