package io.quarkflow.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * An artifact upload written by hand on a socket, for what the JDK's HttpClient cannot do: announce a body with
 * {@code Expect: 100-continue} and read the answer before sending any of it (the JDK 17 client hangs when that
 * answer is a refusal), or send only part of the body and vanish.
 */
final class RawUpload implements AutoCloseable {

    private final Socket socket;
    private final OutputStream output;
    private final BufferedReader input;

    private RawUpload(Socket socket) throws IOException {
        this.socket = socket;
        this.output = socket.getOutputStream();
        this.input = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
    }

    /** Sends the head of {@code PUT pathAndQuery} announcing {@code contentLength} bytes; no byte of the body yet. */
    static RawUpload start(URI gateway, String pathAndQuery, String authorization, long contentLength) throws IOException {
        RawUpload upload = new RawUpload(new Socket(gateway.getHost(), gateway.getPort()));
        upload.socket.setSoTimeout(30_000);
        String head = "PUT " + pathAndQuery + " HTTP/1.1\r\n"
                + "Host: " + gateway.getHost() + ":" + gateway.getPort() + "\r\n"
                + (authorization == null ? "" : "Authorization: " + authorization + "\r\n")
                + "Content-Type: application/octet-stream\r\n"
                + "Content-Length: " + contentLength + "\r\n"
                + "Expect: 100-continue\r\n"
                + "\r\n";
        upload.output.write(head.getBytes(StandardCharsets.US_ASCII));
        upload.output.flush();
        return upload;
    }

    /** The next status line, e.g. {@code HTTP/1.1 100 Continue}. */
    String readStatusLine() throws IOException {
        return input.readLine();
    }

    void send(byte[] bytes) throws IOException {
        output.write(bytes);
        output.flush();
    }

    /** Closes the socket, mid-body if the body was not complete. */
    @Override
    public void close() throws IOException {
        socket.close();
    }
}
