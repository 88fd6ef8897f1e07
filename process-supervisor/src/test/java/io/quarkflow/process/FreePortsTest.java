package io.quarkflow.process;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FreePortsTest {

    @Test
    void handsOutEachPortOnce() {
        FreePorts ports = new FreePorts();
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            int port = ports.next();
            assertTrue(seen.add(port), "port " + port + " handed out twice");
        }
    }
}
