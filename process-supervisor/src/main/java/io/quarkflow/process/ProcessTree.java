package io.quarkflow.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

/**
 * Stops a process together with its descendants. A signal to a shell alone would leave the programs it started
 * running, holding their ports and files; so every process of the tree gets the signal, as a terminal's Ctrl-C
 * reaches its whole process group.
 */
final class ProcessTree {

    /** SIGKILL cannot be refused; this only lets the kernel finish. */
    private static final Duration KILL_WAIT = Duration.ofSeconds(5);
    private static final Duration POLL_INTERVAL = Duration.ofMillis(50);

    private ProcessTree() {
    }

    /**
     * SIGTERM to the root and its descendants, then SIGKILL to whatever still runs after the grace period, including
     * processes started meanwhile; returns once all have exited, or early when the thread is interrupted.
     */
    static void stop(ProcessHandle root, Duration grace) {
        List<ProcessHandle> tree = withDescendants(Stream.of(root));
        tree.forEach(ProcessHandle::destroy);
        if (awaitExit(tree, grace)) {
            return;
        }
        List<ProcessHandle> remaining = withDescendants(tree.stream().filter(ProcessTree::running));
        remaining.forEach(ProcessHandle::destroyForcibly);
        awaitExit(remaining, KILL_WAIT);
    }

    private static List<ProcessHandle> withDescendants(Stream<ProcessHandle> roots) {
        return roots.flatMap(root -> Stream.concat(Stream.of(root), root.descendants())).distinct().toList();
    }

    private static boolean awaitExit(List<ProcessHandle> processes, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        while (processes.stream().anyMatch(ProcessTree::running)) {
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
            try {
                Thread.sleep(POLL_INTERVAL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    /**
     * Alive and not a zombie. A descendant whose parent exited first is left to init to reap; in a container init
     * may never do so, and {@link ProcessHandle#isAlive()} counts the zombie as alive although it holds nothing.
     */
    static boolean running(ProcessHandle process) {
        return process.isAlive() && !isZombie(process.pid());
    }

    /** Linux tells in /proc; elsewhere the answer is no, and a zombie waits out the grace period. */
    private static boolean isZombie(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // "pid (command) state ...": the command may hold spaces and parentheses, the state follows the last ')'.
            int end = stat.lastIndexOf(')');
            return end >= 0 && end + 2 < stat.length() && stat.charAt(end + 2) == 'Z';
        } catch (IOException | RuntimeException unreadable) {
            return false;
        }
    }
}
