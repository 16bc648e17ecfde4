package heron.net.internal;

import java.nio.ByteBuffer;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Hands decoded TCP packets to flow workers. With one worker everything runs inline on the
 * reading thread, zero-copy from the capture buffer. With N workers, packets go in batches
 * through bounded queues (the reader blocks when a worker falls behind: back-pressure); a
 * connection always goes to the same worker, so per-connection state needs no locks.
 */
public abstract class Dispatcher {
    final FlowWorker[] workers;

    Dispatcher(FlowWorker[] workers) {
        this.workers = workers;
    }

    public FlowWorker[] workers() {
        return workers;
    }

    /**
     * One decoded TCP packet. {@code stable}: b stays valid and unchanged for the rest of the run
     * (a read-only mapping of the capture file): then workers get it as it is, no copy.
     */
    public abstract void packet(FlowEntry e, int side, int hint, int seq, int ack, int flags, ByteBuffer b, int off, int len,
            int wireLen, long ts, long frame, boolean stable);

    public abstract void close(FlowEntry e, boolean idle);

    /** End of capture: every worker finishes its connections; blocks until done. */
    public abstract void finish();

    /** Stops without finishing the connections (cancellation or failure). */
    public abstract void abort();

    /** Called by the reader now and then: rethrows a failure of a worker thread. */
    public void check() {
        // inline: failures are thrown where they happen
    }

    public static Dispatcher create(FlowWorker[] workers) {
        return workers.length == 1 ? new Inline(workers) : new Threaded(workers);
    }

    static final class Inline extends Dispatcher {
        private final FlowWorker w;

        Inline(FlowWorker[] workers) {
            super(workers);
            w = workers[0];
        }

        @Override
        public void packet(FlowEntry e, int side, int hint, int seq, int ack, int flags, ByteBuffer b, int off,
                int len, int wireLen, long ts, long frame, boolean stable) {
            w.packet(e, side, hint, seq, ack, flags, b, off, len, wireLen, ts, frame, stable);
        }

        @Override
        public void close(FlowEntry e, boolean idle) {
            w.close(e, idle);
        }

        @Override
        public void finish() {
            w.finish();
        }

        @Override
        public void abort() {
            // nothing runs in the background
        }
    }

    static final class Threaded extends Dispatcher {
        private static final int QUEUE = 4;
        private final Batch[] current;
        private final BlockingQueue<Batch>[] queues;
        private final BlockingQueue<Batch>[] free;
        private final Thread[] threads;
        private final AtomicReference<Throwable> error = new AtomicReference<>();
        private volatile boolean aborted;

        @SuppressWarnings("unchecked")
        Threaded(FlowWorker[] workers) {
            super(workers);
            int n = workers.length;
            current = new Batch[n];
            queues = new BlockingQueue[n];
            free = new BlockingQueue[n];
            threads = new Thread[n];
            for (int i = 0; i < n; i++) {
                queues[i] = new ArrayBlockingQueue<>(QUEUE);
                free[i] = new ArrayBlockingQueue<>(QUEUE + 2);
                for (int k = 0; k < QUEUE + 1; k++) {
                    free[i].add(new Batch());
                }
                current[i] = take(free[i]);
                int idx = i;
                threads[i] = new Thread(() -> run(idx), "heron-flow-worker-" + i);
                threads[i].setDaemon(true);
                threads[i].start();
            }
        }

        private void run(int i) {
            FlowWorker w = workers[i];
            try {
                while (true) {
                    Batch b = queues[i].take();
                    boolean end = false;
                    for (int k = 0; k < b.n; k++) {
                        end |= b.kind[k] == Batch.END;
                    }
                    // after a failure (here or in another worker) batches are only drained, so
                    // the reader never blocks on a dead worker
                    if (error.get() == null && !aborted) {
                        try {
                            process(w, b);
                            if (end) {
                                w.finish();
                            }
                        } catch (Throwable t) {
                            error.compareAndSet(null, t);
                        }
                    }
                    b.reset();
                    free[i].put(b);
                    if (end) {
                        return;
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private static void process(FlowWorker w, Batch b) {
            for (int k = 0; k < b.n; k++) {
                switch (b.kind[k]) {
                    case Batch.PKT -> {
                        int bi = b.bufIdx[k];
                        boolean stable = bi >= 0;
                        w.packet(b.entry[k], b.side[k], b.hint[k], b.seq[k], b.ack[k], b.flags[k], stable ? b.bufs[bi] : b.view,
                                b.off[k], b.len[k], b.wire[k], b.ts[k], b.frame[k], stable);
                    }
                    case Batch.CLOSE -> w.close(b.entry[k], false);
                    case Batch.CLOSE_IDLE -> w.close(b.entry[k], true);
                    default -> {
                        // END: handled by the caller once the batch is done
                    }
                }
            }
        }

        private static Batch take(BlockingQueue<Batch> q) {
            try {
                return q.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }

        private void flush(int w) {
            try {
                queues[w].put(current[w]);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
            current[w] = take(free[w]);
            rethrow();
        }

        private void rethrow() {
            Throwable t = error.get();
            if (t instanceof RuntimeException r) {
                throw r;
            }
            if (t instanceof Error er) {
                throw er;
            }
            if (t != null) {
                throw new IllegalStateException(t);
            }
        }

        @Override
        public void packet(FlowEntry e, int side, int hint, int seq, int ack, int flags, ByteBuffer src, int off, int len,
                int wireLen, long ts, long frame, boolean stable) {
            int w = e.worker;
            Batch b = current[w];
            int copy = stable ? 0 : len;
            if (stable ? !b.fitsStable(src) : !b.fits(copy)) {
                if (b.n > 0) {
                    flush(w);
                    b = current[w];
                }
                if (copy > b.arena.length - b.used) {
                    // arenas are made on first use: a mapped file never needs them
                    b.arena = new byte[Math.max(Batch.ARENA, copy)];
                    b.view = ByteBuffer.wrap(b.arena);
                    b.used = 0;
                }
            }
            int k = b.n++;
            b.kind[k] = Batch.PKT;
            b.entry[k] = e;
            b.side[k] = (byte) side;
            b.hint[k] = (byte) hint;
            b.seq[k] = seq;
            b.ack[k] = ack;
            b.flags[k] = flags;
            b.off[k] = b.used;
            b.len[k] = len;
            b.wire[k] = wireLen;
            b.ts[k] = ts;
            b.frame[k] = frame;
            if (stable) {
                // a read-only mapping: the worker reads it where it is
                b.bufIdx[k] = b.bufIndex(src);
                b.off[k] = off;
            } else {
                b.bufIdx[k] = -1;
                if (len > 0) {
                    src.get(off, b.arena, b.used, len);
                    b.used += len;
                }
            }
        }

        private void control(int w, byte kind, FlowEntry e) {
            Batch b = current[w];
            if (!b.fits(0)) {
                flush(w);
                b = current[w];
            }
            int k = b.n++;
            b.kind[k] = kind;
            b.entry[k] = e;
            b.len[k] = 0;
        }

        @Override
        public void close(FlowEntry e, boolean idle) {
            control(e.worker, idle ? Batch.CLOSE_IDLE : Batch.CLOSE, e);
        }

        @Override
        public void finish() {
            for (int w = 0; w < workers.length; w++) {
                control(w, Batch.END, null);
                try {
                    queues[w].put(current[w]);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted", e);
                }
                current[w] = null;
            }
            join();
            rethrow();
        }

        @Override
        public void abort() {
            aborted = true;
            for (int w = 0; w < workers.length; w++) {
                if (current[w] != null) {
                    try {
                        control(w, Batch.END, null);
                    } catch (RuntimeException ignored) {
                        // a worker already failed; it keeps draining and sees the END below
                    }
                    try {
                        queues[w].put(current[w]);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                    current[w] = null;
                }
            }
            join();
        }

        private void join() {
            for (Thread t : threads) {
                try {
                    t.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }
}
