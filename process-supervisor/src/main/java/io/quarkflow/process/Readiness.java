package io.quarkflow.process;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Waits until a child is ready by polling a probe, and fails as soon as the child exits instead. */
final class Readiness {

    private static final Duration POLL_INTERVAL = Duration.ofMillis(200);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(1);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(2);

    private Readiness() {
    }

    /** One way to tell that a child is ready; a look that fails means "not yet". */
    interface Probe {

        /** What the child must do, completing "did not ..." and "before it could ...". */
        String goal();

        boolean ready() throws InterruptedException;

        /** What the last look saw, for the timeout message; empty when that adds nothing. */
        default String lastSeen() {
            return "";
        }
    }

    static void await(ChildProcess child, Probe probe, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (!child.isAlive()) {
                throw new IllegalStateException(child.name() + " exited with code " + child.exitCode()
                        + " before it could " + probe.goal() + child.logTail());
            }
            if (probe.ready()) {
                return;
            }
            if (System.nanoTime() - deadline >= 0) {
                throw new IllegalStateException(child.name() + " did not " + probe.goal() + " within "
                        + readable(timeout) + probe.lastSeen() + child.logTail());
            }
            Thread.sleep(POLL_INTERVAL.toMillis());
        }
    }

    private static String readable(Duration duration) {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + " s" : duration.toMillis() + " ms";
    }

    /** For a child without a health endpoint: ready once its port accepts connections. */
    static Probe listening(String host, int port) {
        return new PortProbe(host, port);
    }

    static Probe answering(URI url) {
        return new HttpProbe(url);
    }

    private record PortProbe(String host, int port) implements Probe {

        @Override
        public String goal() {
            return "listen on " + host + ":" + port;
        }

        @Override
        public boolean ready() {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(host, port), (int) CONNECT_TIMEOUT.toMillis());
                return true;
            } catch (IOException notListeningYet) {
                return false;
            }
        }
    }

    /** Ready once a GET answers 200; remembers the last other status, which often says why not. */
    private static final class HttpProbe implements Probe {

        private final HttpClient client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(CONNECT_TIMEOUT)
                .build();
        private final HttpRequest request;
        private int lastStatus = -1;

        HttpProbe(URI url) {
            request = HttpRequest.newBuilder(url).timeout(REQUEST_TIMEOUT).build();
        }

        @Override
        public String goal() {
            return "answer 200 on " + request.uri();
        }

        @Override
        public boolean ready() throws InterruptedException {
            try {
                lastStatus = client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
                return lastStatus == 200;
            } catch (IOException notListeningYet) {
                return false;
            }
        }

        @Override
        public String lastSeen() {
            return lastStatus == -1 ? " (it never answered)" : " (last status " + lastStatus + ")";
        }
    }
}
