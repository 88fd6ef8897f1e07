package io.quarkflow.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;

/**
 * Loopback ports for children to listen on, free when picked and each handed out once. The system picks a free
 * port per request, but may pick the same one again once the asking socket is closed, while the child told to
 * listen on the first is still booting: two children would then be given one port.
 */
public final class FreePorts {

    /** Far more than a collision needs; a bound so that a broken system fails instead of spinning. */
    private static final int ATTEMPTS = 100;

    private final Set<Integer> handedOut = new HashSet<>();

    public synchronized int next() {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            int port = systemPicked();
            if (handedOut.add(port)) {
                return port;
            }
        }
        throw new IllegalStateException("the system offered only ports handed out before: " + handedOut);
    }

    private static int systemPicked() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("No free loopback port", e);
        }
    }
}
