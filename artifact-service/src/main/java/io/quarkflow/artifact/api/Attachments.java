package io.quarkflow.artifact.api;

import io.quarkflow.artifact.service.Download;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * How every download leaves this service, as MLflow sends artifacts (handlers.py, _send_artifact): always an
 * attachment, never sniffed, so no artifact can run as a page on this origin. Bytes stream through java.io on the
 * worker thread that writes the response; a download is never held whole in memory or on disk.
 */
final class Attachments {

    private Attachments() {
    }

    static Response download(Download download) {
        StreamingOutput body = output -> {
            try (InputStream input = download.stream()) {
                input.transferTo(output);
            }
        };
        return headers(Response.ok(body), download);
    }

    /** A HEAD request: the headers of the download, whose stream is closed unread. */
    static Response head(Download download) {
        try {
            download.stream().close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return headers(Response.ok(), download);
    }

    private static Response headers(Response.ResponseBuilder response, Download download) {
        response.type(download.contentType())
                .header("Content-Disposition", contentDisposition(download.fileName()))
                .header("X-Content-Type-Options", "nosniff");
        if (download.size() >= 0) {
            response.header(HttpHeaders.CONTENT_LENGTH, download.size());
        }
        return response.build();
    }

    /** RFC 6266: a quoted ASCII fallback plus the exact UTF-8 name. */
    private static String contentDisposition(String fileName) {
        String ascii = fileName.replaceAll("[^\\x20-\\x7e]", "_").replace("\\", "\\\\").replace("\"", "\\\"");
        String utf8 = URLEncoder.encode(fileName, StandardCharsets.UTF_8).replace("+", "%20");
        return "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''" + utf8;
    }
}
