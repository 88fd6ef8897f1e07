package io.quarkflow.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.quarkflow.process.ChildProcess;
import io.quarkflow.process.Command;
import io.quarkflow.process.FreePorts;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The benchmark's MLflow project: a Git repository in a directory of its own, served on loopback over
 * {@code git daemon} (git://), or, where that cannot start, over {@code git http-backend} behind a small HTTP server
 * (http://). projects-service runs only Git URIs on the kubernetes backend, and clones the project once per
 * submission to read its MLproject.
 */
final class GitProject implements AutoCloseable {

    static final String NAME = "bench-project";
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(15);
    private static final String MLPROJECT = """
            name: bench-project
            docker_env:
              image: python:3.12-slim
            entry_points:
              main:
                parameters:
                  alpha: {type: float, default: 0.5}
                command: "python train.py --alpha {alpha}"
            """;
    private static final String TRAIN = """
            import argparse
            parser = argparse.ArgumentParser()
            parser.add_argument("--alpha", type=float)
            print("alpha", parser.parse_args().alpha)
            """;

    private final String uri;
    private final String server;
    private final AutoCloseable running;

    private GitProject(String uri, String server, AutoCloseable running) {
        this.uri = uri;
        this.server = server;
        this.running = running;
    }

    /**
     * Writes the repository under {@code root} and serves it.
     *
     * @param preferred {@code daemon} (falls back to {@code http} when git daemon does not serve) or {@code http}
     */
    static GitProject serve(Path root, FreePorts ports, Path logDir, String preferred) throws Exception {
        Path repository = root.resolve(NAME);
        Files.createDirectories(repository);
        Files.writeString(repository.resolve("MLproject"), MLPROJECT);
        Files.writeString(repository.resolve("train.py"), TRAIN);
        git(repository, "init", "-q", "-b", "main");
        git(repository, "add", "MLproject", "train.py");
        git(repository, "-c", "user.name=bench", "-c", "user.email=bench@localhost", "commit", "-q", "-m", "project");
        if (preferred.equals("daemon")) {
            try {
                return daemon(root, ports, logDir);
            } catch (Exception e) {
                System.out.println("git daemon does not serve here (" + e.getMessage().lines().findFirst().orElse("")
                        + "); serving the project with git http-backend instead");
            }
        }
        return http(root, ports);
    }

    /** The URI a submission names. */
    String uri() {
        return uri;
    }

    /** How it is served, for the report. */
    String server() {
        return server;
    }

    @Override
    public void close() throws Exception {
        running.close();
    }

    private static GitProject daemon(Path root, FreePorts ports, Path logDir) throws Exception {
        int port = ports.next();
        ChildProcess daemon = ChildProcess.start(Command.of("git-daemon", List.of("git", "daemon", "--export-all",
                        "--base-path=" + root, "--reuseaddr", "--informative-errors", "--listen=127.0.0.1",
                        "--port=" + port, root.toString()))
                .withLog(logDir.resolve("git-daemon.log")));
        try {
            daemon.awaitPort("127.0.0.1", port, STARTUP_TIMEOUT);
            String uri = "git://127.0.0.1:" + port + "/" + NAME;
            git(root, "ls-remote", uri);
            return new GitProject(uri, "git daemon", daemon);
        } catch (Exception e) {
            daemon.close();
            throw e;
        }
    }

    private static GitProject http(Path root, FreePorts ports) throws IOException {
        int port = ports.next();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
        ExecutorService workers = Executors.newFixedThreadPool(16);
        server.setExecutor(workers);
        server.createContext("/", exchange -> cgi(root, exchange));
        server.start();
        return new GitProject("http://127.0.0.1:" + port + "/" + NAME, "git http-backend", () -> {
            server.stop(0);
            workers.shutdownNow();
        });
    }

    /** One request through git http-backend as a CGI program (smart HTTP, which shallow fetches need). */
    private static void cgi(Path root, HttpExchange exchange) throws IOException {
        try (exchange) {
            ProcessBuilder builder = new ProcessBuilder("git", "http-backend");
            Map<String, String> env = builder.environment();
            env.put("GIT_PROJECT_ROOT", root.toString());
            env.put("GIT_HTTP_EXPORT_ALL", "1");
            env.put("GATEWAY_INTERFACE", "CGI/1.1");
            env.put("REQUEST_METHOD", exchange.getRequestMethod());
            env.put("PATH_INFO", exchange.getRequestURI().getPath());
            env.put("QUERY_STRING", exchange.getRequestURI().getRawQuery() == null ? ""
                    : exchange.getRequestURI().getRawQuery());
            env.put("REMOTE_ADDR", exchange.getRemoteAddress().getAddress().getHostAddress());
            putHeader(env, "CONTENT_TYPE", exchange.getRequestHeaders().getFirst("Content-Type"));
            putHeader(env, "HTTP_CONTENT_ENCODING", exchange.getRequestHeaders().getFirst("Content-Encoding"));
            putHeader(env, "HTTP_GIT_PROTOCOL", exchange.getRequestHeaders().getFirst("Git-Protocol"));
            Process process = builder.start();
            Thread input = new Thread(() -> {
                try (InputStream body = exchange.getRequestBody(); OutputStream stdin = process.getOutputStream()) {
                    body.transferTo(stdin);
                } catch (IOException ignored) {
                    // the backend ended early; its output says why
                }
            }, "git-http-backend-input");
            input.start();
            byte[] output = process.getInputStream().readAllBytes();
            process.waitFor(30, TimeUnit.SECONDS);
            int end = headerEnd(output);
            int status = 200;
            for (String line : new String(output, 0, Math.max(0, end), StandardCharsets.ISO_8859_1).split("\r?\n")) {
                int colon = line.indexOf(':');
                if (colon <= 0) {
                    continue;
                }
                String name = line.substring(0, colon).trim();
                String value = line.substring(colon + 1).trim();
                if (name.equalsIgnoreCase("Status")) {
                    status = Integer.parseInt(value.split(" ")[0]);
                } else {
                    exchange.getResponseHeaders().add(name, value);
                }
            }
            int bodyStart = end < 0 ? 0 : end + (output[end] == '\r' ? 4 : 2);
            exchange.sendResponseHeaders(status, output.length - bodyStart == 0 ? -1 : output.length - bodyStart);
            exchange.getResponseBody().write(output, bodyStart, output.length - bodyStart);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The index of the blank line that ends the CGI headers (CRLF CRLF or LF LF), or -1. */
    private static int headerEnd(byte[] output) {
        for (int i = 0; i + 1 < output.length; i++) {
            if (output[i] == '\n' && output[i + 1] == '\n') {
                return i;
            }
            if (i + 3 < output.length && output[i] == '\r' && output[i + 1] == '\n' && output[i + 2] == '\r'
                    && output[i + 3] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private static void putHeader(Map<String, String> env, String name, String value) {
        if (value != null) {
            env.put(name, value);
        }
    }

    private static void git(Path dir, String... args) {
        List<String> command = new ArrayList<>(List.of("git", "-C", dir.toString()));
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getOutputStream().close();
            ByteArrayOutputStream output = new ByteArrayOutputStream();
            process.getInputStream().transferTo(output);
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
