package io.quarkflow.local;

import io.quarkflow.process.ChildProcess;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Keeps the suite's children running. A child that exits while the suite runs (a crash, an out-of-memory error, a
 * {@code kill -9}) is started again with the same command, so on the same port with the same settings, after a pause
 * that doubles with each exit in a row. One that keeps exiting is broken rather than unlucky: the supervisor gives up
 * on it and says why, for the suite to stop. {@link #stop()} ends the restarts before it stops the children, so a
 * stop restarts nothing.
 */
final class Supervisor {

    /** How a child is started and known to be ready: {@link ServiceProcess} in the suite. */
    interface Service {

        String name();

        ChildProcess start() throws IOException;

        /** Returns once the process is ready; an {@link IllegalStateException} when it exits first or is too slow. */
        void awaitReady(ChildProcess process, Duration timeout) throws InterruptedException;
    }

    /**
     * When to restart a child and when to give up on it.
     *
     * @param firstPause   before the first restart in a row; each further one doubles it
     * @param maxPause     the longest pause
     * @param stableAfter  a child up this long has recovered: its next exit is the first in a row again
     * @param giveUpExits  this many exits of one child ...
     * @param giveUpWithin ... within this time, and the supervisor gives up on it
     * @param readyTimeout how long a started child may take to become ready; it is stopped after that
     */
    record Policy(Duration firstPause, Duration maxPause, Duration stableAfter, int giveUpExits,
                  Duration giveUpWithin, Duration readyTimeout) {

        /** 1 s, 2 s, 4 s, 8 s, 16 s, then 30 s; five exits within three minutes are too many. */
        static final Policy DEFAULT = new Policy(Duration.ofSeconds(1), Duration.ofSeconds(30),
                Duration.ofMinutes(1), 5, Duration.ofMinutes(3), Duration.ofSeconds(60));

        /** The pause before the n-th restart in a row, counted from 1. */
        Duration pause(int restart) {
            Duration pause = firstPause.multipliedBy(1L << Math.min(restart - 1, 30));
            return pause.compareTo(maxPause) > 0 ? maxPause : pause;
        }
    }

    private final Policy policy;
    private final PrintStream out;
    private final List<Supervised> children = new ArrayList<>();
    private final CompletableFuture<String> gaveUp = new CompletableFuture<>();
    private boolean stopped;

    Supervisor(Policy policy, PrintStream out) {
        this.policy = policy;
        this.out = out;
    }

    /**
     * Starts the service, returns once it is ready and restarts it from then on. A failure here is not retried: at the
     * suite's start it is a mistake to report, not bad luck.
     */
    void start(Service service) throws IOException, InterruptedException {
        Supervised child;
        synchronized (this) {
            if (stopped) {
                throw new IllegalStateException("stopping");
            }
            child = new Supervised(service, service.start());
            children.add(child);
        }
        service.awaitReady(child.process, policy.readyTimeout());
        child.watcher.start();
    }

    /** Completes with the reason once the supervisor has given up on a child; it restarts nothing more. */
    CompletableFuture<String> gaveUp() {
        return gaveUp;
    }

    /** Ends the restarts, then stops the children in reverse start order; safe to call more than once. */
    void stop() {
        List<ChildProcess> processes = new ArrayList<>();
        synchronized (this) { // no restart starts a process after this block: restart() checks under the same lock
            if (stopped) {
                return;
            }
            stopped = true;
            for (Supervised child : children) {
                child.watcher.interrupt();
                processes.add(0, child.process);
            }
        }
        processes.forEach(ChildProcess::close);
    }

    /** One child: its current process, and the exits that decide the next pause or giving up. */
    private final class Supervised {

        private final Service service;
        private final Thread watcher;
        private final Deque<Long> recentExits = new ArrayDeque<>();
        private ChildProcess process; // replaced under the supervisor's lock
        private long startedAt = System.nanoTime();
        private int inARow;

        Supervised(Service service, ChildProcess process) {
            this.service = service;
            this.process = process;
            watcher = new Thread(this::watch, "supervise-" + service.name());
            watcher.setDaemon(true);
        }

        private void watch() {
            try {
                while (true) {
                    int exitCode = process.waitFor();
                    synchronized (Supervisor.this) {
                        if (stopped) {
                            return;
                        }
                    }
                    if (!mayRestart(exitCode)) {
                        return;
                    }
                    Duration pause = policy.pause(inARow);
                    out.println(service.name() + " exited with code " + exitCode + "; restarting in " + readable(pause)
                            + " (restart " + inARow + ")");
                    Thread.sleep(pause.toMillis());
                    if (!restart()) {
                        return;
                    }
                    try {
                        service.awaitReady(process, policy.readyTimeout());
                        out.println(service.name() + " is back");
                    } catch (IllegalStateException notReady) {
                        if (process.isAlive()) { // too slow rather than exited; its exit counts like any other
                            out.println(notReady.getMessage());
                            process.close();
                        }
                    }
                }
            } catch (InterruptedException stopping) {
                // stop() interrupts the watchers; it stops the processes itself
            }
        }

        /** Counts the exit; false, after giving up, when it makes too many within the policy's time. */
        private boolean mayRestart(int exitCode) {
            long now = System.nanoTime();
            inARow = now - startedAt >= policy.stableAfter().toNanos() ? 1 : inARow + 1;
            recentExits.addLast(now);
            while (now - recentExits.peekFirst() > policy.giveUpWithin().toNanos()) {
                recentExits.removeFirst();
            }
            if (recentExits.size() < policy.giveUpExits()) {
                return true;
            }
            gaveUp.complete(service.name() + " exited " + recentExits.size() + " times within "
                    + readable(policy.giveUpWithin()) + ", the last time with code " + exitCode + "; giving up on it");
            return false;
        }

        /** Starts the process again unless the supervisor is stopping; false, after giving up, when it cannot. */
        private boolean restart() {
            synchronized (Supervisor.this) {
                if (stopped) {
                    return false;
                }
                try {
                    process = service.start();
                } catch (IOException e) {
                    gaveUp.complete(service.name() + " could not be started again: " + e.getMessage());
                    return false;
                }
                startedAt = System.nanoTime();
                return true;
            }
        }
    }

    private static String readable(Duration duration) {
        if (duration.toMillis() % 1000 != 0) {
            return duration.toMillis() + " ms";
        }
        return duration.toSeconds() % 60 == 0 ? duration.toMinutes() + " min" : duration.toSeconds() + " s";
    }
}
