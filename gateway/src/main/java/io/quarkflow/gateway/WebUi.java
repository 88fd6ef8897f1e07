package io.quarkflow.gateway;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import jakarta.inject.Singleton;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.jboss.logging.Logger;

/**
 * Serves the web UI (module ui) at {@code /}: index.html there, its other files under {@code /ui/}. They are static
 * code without data, so they are served before authentication; everything they show comes from the API, with the
 * session of {@link WebSessions}. The files are read from the classpath once at start (the list in
 * quarkflow-ui/files.txt, so nothing scans the classpath), with their gzip and ETag computed then.
 */
@Singleton
public class WebUi {

    private static final Logger LOG = Logger.getLogger(WebUi.class);
    private static final String ROOT = "quarkflow-ui/";
    /**
     * The UI's own code only; no inline script. Styles may be inline (the chart library positions with style
     * attributes); previews of images are blob: URLs, and an HTML artifact is shown in a sandboxed srcdoc frame.
     */
    static final String PAGE_POLICY = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
            + "img-src 'self' blob: data:; frame-src 'self' blob: data:; connect-src 'self'; object-src 'none'; "
            + "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8", "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8", "svg", "image/svg+xml", "png", "image/png", "txt",
            "text/plain; charset=utf-8");

    private record Asset(String type, Buffer body, Buffer gzipped, String etag) {
    }

    /** By request path: "/" for index.html, "/ui/app.js" for app.js. */
    private final Map<String, Asset> assets = new HashMap<>();

    WebUi(GatewayConfig config) {
        if (!config.ui().enabled()) {
            LOG.info("Web UI off (quarkflow.gateway.ui.enabled=false)");
            return;
        }
        String list = read(ROOT + "files.txt");
        if (list == null) {
            LOG.warn("Web UI not found on the classpath (" + ROOT + "files.txt): / answers 404");
            return;
        }
        for (String file : list.split("\n")) {
            if (file.isBlank()) {
                continue;
            }
            byte[] body = readBytes(ROOT + file);
            if (body == null) {
                throw new IllegalStateException("Web UI file " + file + " is listed but missing");
            }
            String extension = file.substring(file.lastIndexOf('.') + 1);
            Asset asset = new Asset(TYPES.getOrDefault(extension, "application/octet-stream"), Buffer.buffer(body),
                    Buffer.buffer(gzip(body)), "\"" + sha256(body).substring(0, 32) + "\"");
            assets.put(file.equals("index.html") ? "/" : "/ui/" + file, asset);
        }
        LOG.infof("Web UI at / (%d files)", assets.size());
    }

    boolean serves(HttpMethod method, String path) {
        return (method == HttpMethod.GET || method == HttpMethod.HEAD) && assets.containsKey(path);
    }

    /** Answers a request {@link #serves} takes. Browsers revalidate each time (ETag), so a new build shows at once. */
    void serve(HttpServerRequest request, String path) {
        Asset asset = assets.get(path);
        HttpServerResponse response = request.response();
        response.headers()
                .set(HttpHeaders.CONTENT_TYPE, asset.type())
                .set(HttpHeaders.ETAG, asset.etag())
                .set(HttpHeaders.CACHE_CONTROL, "no-cache")
                .set(HttpHeaders.VARY, "Accept-Encoding")
                .set("Content-Security-Policy", PAGE_POLICY)
                .set("Referrer-Policy", "no-referrer");
        if (asset.etag().equals(request.getHeader(HttpHeaders.IF_NONE_MATCH))) {
            response.setStatusCode(304);
            LocalAnswer.send(request, "");
            return;
        }
        String accepted = request.getHeader(HttpHeaders.ACCEPT_ENCODING);
        boolean gzip = accepted != null && accepted.contains("gzip");
        Buffer body = gzip ? asset.gzipped() : asset.body();
        if (gzip) {
            response.putHeader(HttpHeaders.CONTENT_ENCODING, "gzip");
        }
        request.resume();
        if (request.method() == HttpMethod.HEAD) {
            response.putHeader(HttpHeaders.CONTENT_LENGTH, Integer.toString(body.length())).end();
        } else {
            response.end(body);
        }
    }

    private static String read(String resource) {
        byte[] bytes = readBytes(resource);
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }

    private static byte[] readBytes(String resource) {
        try (InputStream in = WebUi.class.getClassLoader().getResourceAsStream(resource)) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] gzip(byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream zip = new GZIPOutputStream(out)) {
            zip.write(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static String sha256(byte[] body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
