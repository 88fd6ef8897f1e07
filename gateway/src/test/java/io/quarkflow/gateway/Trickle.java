package io.quarkflow.gateway;

import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * An upload written by hand on a socket, as slowly as a test likes: what a slow or hostile client does, and what no
 * client library would do on request. Its headers and first byte go out at once; the rest only when asked.
 */
final class Trickle implements AutoCloseable {

    /** The status, lower-cased headers and body of the gateway's answer. */
    record Answer(int status, Map<String, String> headers, String body) {
        JsonObject json() {
            return new JsonObject(body);
        }
    }

    private final Socket socket;
    private final OutputStream out;

    private Trickle(Socket socket) throws IOException {
        this.socket = socket;
        this.out = socket.getOutputStream();
    }

    /** A PUT of {@code length} bytes to {@code path} with this Authorization header (none when null). */
    static Trickle start(URI gateway, String path, String authorization, long length) throws IOException {
        Trickle trickle = new Trickle(new Socket(gateway.getHost(), gateway.getPort()));
        trickle.socket.setSoTimeout(15_000);
        trickle.out.write(("PUT " + path + " HTTP/1.1\r\nHost: localhost\r\n"
                + (authorization == null ? "" : "Authorization: " + authorization + "\r\n")
                + "Content-Type: application/octet-stream\r\nContent-Length: " + length + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        trickle.send(1);
        return trickle;
    }

    static Trickle start(URI gateway, String path, long length) throws IOException {
        return start(gateway, path, "Bearer " + FakeServices.EDIT_TOKEN, length);
    }

    /** Sends this many more bytes of the body. */
    void send(int bytes) throws IOException {
        out.write(new byte[bytes]);
        out.flush();
    }

    /** Reads the answer, waiting at most the socket's timeout (15 s) for it. */
    Answer answer() throws IOException {
        InputStream in = socket.getInputStream();
        String[] lines = new String(head(in), StandardCharsets.US_ASCII).split("\r\n");
        Map<String, String> headers = new HashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.put(lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT),
                    lines[i].substring(colon + 1).strip());
        }
        String length = headers.get("content-length");
        byte[] body = length == null ? in.readAllBytes() : in.readNBytes(Integer.parseInt(length));
        return new Answer(Integer.parseInt(lines[0].split(" ")[1]), headers, new String(body, StandardCharsets.UTF_8));
    }

    /** Whether the gateway has closed the connection: the next read finds its end (after any answer). */
    boolean closedByGateway() throws IOException {
        try {
            return socket.getInputStream().read() < 0;
        } catch (SocketException reset) {
            return true;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    private static byte[] head(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        for (int b = in.read(); b >= 0; b = in.read()) {
            head.write(b);
            matched = b == "\r\n\r\n".charAt(matched) ? matched + 1 : (b == '\r' ? 1 : 0);
            if (matched == 4) {
                return Arrays.copyOf(head.toByteArray(), head.size() - 4);
            }
        }
        throw new IOException("the connection closed before an answer: " + head);
    }
}
