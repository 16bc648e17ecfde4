package heron.net.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicReference;

import heron.core.capture.PacketStream;
import heron.net.NetOptions;
import heron.net.pcap.StableBuffers;

/**
 * Several workers over a mapped capture file without a reader in between (an option, see
 * {@link #enabled}): worker 0 runs inline on the reading thread (which, when the sink takes a
 * frame index, still keeps every connection and writes the index), and each other worker runs on
 * a thread of its own that reads the file itself through a {@link StableBuffers#fork() fork} of
 * the stream and takes only its own connections (the hash of the 4-tuple, as in the threaded
 * dispatcher).
 * <p>
 * Results stay those of one worker: a connection's boundaries depend only on its own packets and
 * on the capture times of the idle sweeps, which every walker computes from the same packet
 * sequence, so each walker's table makes the reader's decisions for its connections (same ids).
 * Nothing is handed between threads: no batches, no queues, and per-connection state and the
 * packet bytes stay in the cache of the core that parses them. The cost is that every walker
 * walks and decodes every record (~0.25 s CPU per GB each on the 2-core VM measured: a third to
 * a half of a walker's time), which there outweighed the hand-off it saves.
 */
public final class SplitWalk extends Dispatcher {
    private static final int CHECK_MASK = 4095;

    private final FlowWorker own;
    private final Thread[] threads;
    private final AtomicReference<Throwable> error = new AtomicReference<>();
    private volatile boolean stop;

    /**
     * Whether a run with several workers on a mapped file splits: only when asked for with
     * {@code -Dheron.net.splitWalk=true} (any sink), or {@code =auto} (sinks without a frame
     * index). Off by default: on the 2-core machines measured, walking the file twice cost more
     * than the threaded dispatcher's hand-off (docs/performance.md, Session 4: ingest).
     */
    public static boolean enabled(boolean frameIndex) {
        String mode = System.getProperty("heron.net.splitWalk", "false");
        return mode.equals("true") || (!frameIndex && mode.equals("auto"));
    }

    /** {@code n} forks of the stream, or null (then the threaded dispatcher is used). */
    public static PacketStream[] forks(StableBuffers source, int n) {
        PacketStream[] out = new PacketStream[n];
        try {
            for (int i = 0; i < n; i++) {
                out[i] = source.fork();
                if (!(out[i] instanceof StableBuffers)) {
                    closeAll(out);
                    return null;
                }
            }
            return out;
        } catch (IOException e) {
            closeAll(out);
            return null;
        }
    }

    private static void closeAll(PacketStream[] streams) {
        for (PacketStream p : streams) {
            if (p != null) {
                try {
                    p.close();
                } catch (IOException ignored) {
                    // nothing was read from it
                }
            }
        }
    }

    /** Starts a walker thread per fork: fork i - 1 feeds worker i. */
    public SplitWalk(FlowWorker[] workers, PacketStream[] forks, NetOptions options) {
        super(workers);
        own = workers[0];
        threads = new Thread[forks.length];
        for (int i = 0; i < forks.length; i++) {
            int index = i + 1;
            PacketStream ps = forks[i];
            threads[i] = new Thread(() -> walk(ps, index, options), "heron-flow-walker-" + index);
            threads[i].setDaemon(true);
        }
        for (Thread t : threads) {
            t.start();
        }
    }

    /** One walker: the reader's loop for one worker's connections (counters: the reader's own). */
    private void walk(PacketStream ps, int index, NetOptions options) {
        FlowWorker w = workers[index];
        try (ps) {
            StableBuffers sb = (StableBuffers) ps;
            FlowTable table = new FlowTable(workers.length, w::close, index);
            PacketDecoder d = new PacketDecoder();
            long idle = options.idleTimeoutNanos();
            long sweepEvery = ReaderSupport.sweepEvery(idle);
            long closedLinger = ReaderSupport.closedLinger(idle);
            long nextSweep = Long.MIN_VALUE;
            long count = 0;
            while (ps.next()) {
                count++;
                if ((count & CHECK_MASK) == 0 && stop) {
                    return; // aborted: the connections are not finished
                }
                long ts = ps.timestampNanos();
                if (count == 1) {
                    nextSweep = ts + sweepEvery;
                }
                if (ts >= nextSweep) {
                    table.sweep(ts - idle, ts - closedLinger);
                    nextSweep = ts + sweepEvery;
                }
                ByteBuffer buf = sb.stableData();
                int start = sb.stableIndex();
                if (d.decode(buf, start, start + ps.capturedLength(), ps.linkType()) != PacketDecoder.TCP) {
                    continue;
                }
                long frame = ps.frame();
                FlowEntry e = table.lookup(d, frame, ts);
                if (e == null) {
                    continue; // another worker's connection
                }
                int side = table.side;
                ReaderSupport.tcpPacket(e, side, d, buf);
                w.packet(e, side, e.clientSideHint(), d.seq, d.flags, buf, d.payloadOff, d.payloadLen,
                        d.wirePayloadLen, ts, frame, true);
            }
            if (!stop) {
                w.finish();
            }
        } catch (Throwable t) {
            error.compareAndSet(null, t);
        }
    }

    @Override
    public void packet(FlowEntry e, int side, int hint, int seq, int flags, ByteBuffer b, int off, int len,
            int wireLen, long ts, long frame, boolean stable) {
        // the reading thread's table holds every connection; it parses only worker 0's
        if (e.worker == 0) {
            own.packet(e, side, hint, seq, flags, b, off, len, wireLen, ts, frame, stable);
        }
    }

    @Override
    public void close(FlowEntry e, boolean idle) {
        if (e.worker == 0) {
            own.close(e, idle);
        }
    }

    @Override
    public void check() {
        rethrow();
    }

    @Override
    public void finish() {
        own.finish();
        join();
        rethrow();
    }

    @Override
    public void abort() {
        stop = true;
        join();
    }

    private void join() {
        for (Thread t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stop = true;
                return;
            }
        }
    }

    private void rethrow() {
        Throwable t = error.get();
        if (t == null) {
            return;
        }
        stop = true;
        if (t instanceof RuntimeException r) {
            throw r;
        }
        if (t instanceof Error er) {
            throw er;
        }
        if (t instanceof IOException io) {
            throw new UncheckedIOException(io);
        }
        throw new IllegalStateException(t);
    }
}
