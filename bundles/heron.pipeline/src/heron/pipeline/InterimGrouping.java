package heron.pipeline;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import heron.agents.TurnResult;
import heron.agents.TurnTracker;

/**
 * Regroups the calls seen so far into turns while an import runs, so a live capture shows its
 * turns and sessions before it is stopped. One daemon thread; it regroups only when calls arrived
 * since the last grouping, and waits at least {@code interval} and at least four times what the
 * last grouping cost between two groupings (so a big capture cannot make it hog a core).
 * {@link TurnTracker#finish()} may be called repeatedly and is deterministic, so the importer's
 * final grouping after {@link #stop()} is the same as without interim groupings.
 */
final class InterimGrouping {
    private final TurnTracker tracker;
    private final AtomicLong callsAdded;
    private final ImportSink sink;
    private final long intervalNanos;
    private final Thread thread;
    private final Object lock = new Object();
    private boolean stopped;

    private InterimGrouping(TurnTracker tracker, AtomicLong callsAdded, ImportSink sink, Duration interval) {
        this.tracker = tracker;
        this.callsAdded = callsAdded;
        this.sink = sink;
        this.intervalNanos = interval.toNanos();
        this.thread = new Thread(this::loop, "heron-interim-turns");
        this.thread.setDaemon(true);
    }

    static InterimGrouping start(TurnTracker tracker, AtomicLong callsAdded, ImportSink sink, Duration interval) {
        InterimGrouping g = new InterimGrouping(tracker, callsAdded, sink, interval);
        g.thread.start();
        return g;
    }

    private void loop() {
        long grouped = 0;
        long wait = intervalNanos;
        while (waitOrStop(wait)) {
            long n = callsAdded.get();
            if (n == grouped) {
                wait = intervalNanos;
                continue;
            }
            long t0 = System.nanoTime();
            TurnResult r = tracker.finish();
            synchronized (lock) {
                // stop() waits for this: a result must not reach the sink after the final one
                if (stopped) {
                    return;
                }
                sink.agentsSoFar(r);
            }
            grouped = n;
            wait = Math.max(intervalNanos, 4 * (System.nanoTime() - t0));
        }
    }

    /** Waits; false once stopped. */
    private boolean waitOrStop(long nanos) {
        long deadline = System.nanoTime() + nanos;
        synchronized (lock) {
            try {
                for (long left = nanos; !stopped && left > 0; left = deadline - System.nanoTime()) {
                    lock.wait(Math.max(1, left / 1_000_000));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stopped = true;
            }
            return !stopped;
        }
    }

    /** Ends the thread; after this returns no further interim result reaches the sink. Idempotent. */
    void stop() {
        synchronized (lock) {
            stopped = true;
            lock.notifyAll();
        }
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
