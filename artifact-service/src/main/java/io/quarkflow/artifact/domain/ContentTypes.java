package io.quarkflow.artifact.domain;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** The Content-Type MLflow sends an artifact with (mlflow/utils/mime_type_utils.py: _guess_mime_type). */
public final class ContentTypes {

    public static final String OCTET_STREAM = "application/octet-stream";

    /** MLflow serves these as text/plain; MLmodel and mlproject have no extension and match by name. */
    private static final Set<String> TEXT = Set.of("txt", "log", "err", "cfg", "conf", "cnf", "cf", "ini",
            "properties", "prop", "hocon", "toml", "yaml", "yml", "xml", "json", "js", "py", "py3", "csv", "tsv", "md",
            "rst", "MLmodel", "mlproject");

    /** The part of Python's mimetypes table that the MLflow UI previews; everything else is binary. */
    private static final Map<String, String> KNOWN = Map.of(
            "png", "image/png",
            "jpg", "image/jpeg",
            "jpeg", "image/jpeg",
            "gif", "image/gif",
            "bmp", "image/bmp",
            "svg", "image/svg+xml",
            "pdf", "application/pdf",
            "html", "text/html",
            "htm", "text/html");

    private ContentTypes() {
    }

    public static String of(String path) {
        String name = path.substring(path.lastIndexOf('/') + 1);
        int dot = name.lastIndexOf('.');
        String extension = dot <= 0 ? name : name.substring(dot + 1);
        if (TEXT.contains(extension)) {
            return "text/plain";
        }
        return KNOWN.getOrDefault(extension.toLowerCase(Locale.ROOT), OCTET_STREAM);
    }
}
