package io.quarkflow.e2e;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 written byte for byte on a socket, one connection per request: the fuzzer sends request targets that
 * the JDK's HttpClient refuses to build ({@code %zz}, raw control characters, invalid UTF-8) and reads every answer,
 * whatever its framing (Content-Length, chunked, or until the server closes).
 */
final class RawHttp {

    /** A request as sent: the target is the raw bytes after the method, before " HTTP/1.1". */
    record Request(String method, byte[] target, Map<String, String> headers, byte[] body) {

        String describe() {
            String shown = body.length > 300 ? new String(body, 0, 300, StandardCharsets.UTF_8) + "… (" + body.length
                    + " bytes)" : new String(body, StandardCharsets.UTF_8);
            return method + " " + new String(target, StandardCharsets.ISO_8859_1) + " " + headers + " " + shown;
        }
    }

    /** An answer: the status, the headers (names in lower case) and the body without its transfer framing. */
    record Answer(int status, Map<String, String> headers, byte[] body) {

        String contentType() {
            return headers.getOrDefault("content-type", "");
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private static final int TIMEOUT_MILLIS = 30_000;

    private final URI server;
    private final String authorization;

    RawHttp(URI server, String authorization) {
        this.server = server;
        this.authorization = authorization;
    }

    Answer send(Request request) {
        try (Socket socket = new Socket(server.getHost(), server.getPort())) {
            socket.setSoTimeout(TIMEOUT_MILLIS);
            OutputStream out = socket.getOutputStream();
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            head.writeBytes((request.method() + " ").getBytes(StandardCharsets.US_ASCII));
            head.writeBytes(request.target());
            StringBuilder lines = new StringBuilder(" HTTP/1.1\r\n")
                    .append("Host: ").append(server.getHost()).append(':').append(server.getPort()).append("\r\n")
                    .append("Authorization: ").append(authorization).append("\r\n")
                    .append("Connection: close\r\n");
            request.headers().forEach((name, value) -> lines.append(name).append(": ").append(value).append("\r\n"));
            if (!request.method().equals("GET") || request.body().length > 0) {
                lines.append("Content-Length: ").append(request.body().length).append("\r\n");
            }
            head.writeBytes(lines.append("\r\n").toString().getBytes(StandardCharsets.UTF_8));
            try {
                out.write(head.toByteArray());
                out.write(request.body());
                out.flush();
            } catch (IOException e) {
                // The server may refuse a request before all of it arrived (a request line too long), answer and close.
            }
            return read(new BufferedInputStream(socket.getInputStream()));
        } catch (IOException e) {
            throw new UncheckedIOException("No answer to " + request.describe(), e);
        }
    }

    private static Answer read(InputStream in) throws IOException {
        String statusLine = line(in);
        if (statusLine == null || !statusLine.startsWith("HTTP/1.")) {
            throw new IOException("Not an HTTP answer: " + statusLine);
        }
        int status = Integer.parseInt(statusLine.substring(9, 12));
        Map<String, String> headers = new LinkedHashMap<>();
        for (String header = line(in); header != null && !header.isEmpty(); header = line(in)) {
            int colon = header.indexOf(':');
            headers.put(header.substring(0, colon).trim().toLowerCase(Locale.ROOT), header.substring(colon + 1).trim());
        }
        byte[] body;
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            body = chunked(in);
        } else if (headers.containsKey("content-length")) {
            body = in.readNBytes(Integer.parseInt(headers.get("content-length")));
        } else {
            body = in.readAllBytes();
        }
        return new Answer(status, headers, body);
    }

    private static byte[] chunked(InputStream in) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (int size = chunkSize(line(in)); size > 0; size = chunkSize(line(in))) {
            body.writeBytes(in.readNBytes(size));
            line(in);
        }
        return body.toByteArray();
    }

    private static int chunkSize(String line) {
        int extension = line.indexOf(';');
        return Integer.parseInt((extension < 0 ? line : line.substring(0, extension)).trim(), 16);
    }

    /** A line without its CRLF, or null at the end of the stream. */
    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1 && b != '\n') {
            if (b != '\r') {
                line.write(b);
            }
        }
        return b == -1 && line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
    }
}
