package heron.net.internal;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import heron.net.NetOptions;
import heron.net.NetSink;

/**
 * Processes the packets of the connections assigned to it, in capture order; thread-confined.
 * A failure inside one connection is counted and ends that connection only.
 */
public final class FlowWorker {
    final NetOptions options;
    final NetSink sink;
    final Counters counters = new Counters();
    /** Shared by the parsers of this worker for header blocks that arrive in one piece. */
    final byte[] headScratch = new byte[8192];
    /** Line ends of the header block in {@link #headScratch}, found while looking for its end. */
    final int[] lineEnds = new int[128];
    /** Shared by the parsers of this worker: header names and values repeat across messages. */
    final StringCache strings = new StringCache();
    final HeaderCache headerLines = new HeaderCache();
    /** Header fields of the message being parsed (copied into its Headers). */
    final List<heron.core.model.Header> fieldScratch = new ArrayList<>(64);
    /** Open sessions: an intrusive doubly linked list (no allocation or hashing per connection). */
    private Session liveHead;

    /** A failure of the sink: not the capture's fault, so it ends the run instead of being counted. */
    public static final class SinkFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        SinkFailure(Throwable cause) {
            super("the NetSink failed: " + cause, cause);
        }
    }

    public FlowWorker(NetOptions options, NetSink sink) {
        this.options = options;
        this.sink = sink;
    }

    // the same few addresses appear in thousands of connections: their text is made once
    private final long[] ipHi = new long[256];
    private final long[] ipLo = new long[256];
    private final String[] ipStr = new String[256];
    private final boolean[] ipV6 = new boolean[256];

    String ipText(boolean ipv6, long hi, long lo) {
        long h = (hi * 0x9E3779B97F4A7C15L) ^ lo ^ (ipv6 ? 1 : 0);
        h *= 0x9E3779B97F4A7C15L;
        int i = (int) (h >>> 56);
        String s = ipStr[i];
        if (s != null && ipHi[i] == hi && ipLo[i] == lo && ipV6[i] == ipv6) {
            return s;
        }
        s = IpText.of(ipv6, hi, lo);
        ipHi[i] = hi;
        ipLo[i] = lo;
        ipStr[i] = s;
        ipV6[i] = ipv6;
        return s;
    }

    public Counters counters() {
        return counters;
    }

    /**
     * One TCP packet of connection e. {@code stable}: b stays valid and unchanged after the call
     * (a mapped capture file), so bodies may keep slices of it instead of copies.
     */
    public void packet(FlowEntry e, int side, int clientHint, int seq, int ack, int flags, ByteBuffer b, int off, int len,
            int wireLen, long ts, long frame, boolean stable) {
        if (e.workerDone) {
            return;
        }
        Session s = e.session;
        if (s == null) {
            if (pooled > 0) {
                s = pool[--pooled];
                pool[pooled] = null;
                s.reuse(e);
            } else {
                s = new Session(e, this);
            }
            e.session = s;
            s.liveNext = liveHead;
            if (liveHead != null) {
                liveHead.livePrev = s;
            }
            liveHead = s;
            counters.inc(Counters.C.TCP_CONNECTIONS);
        }
        if (s.finished) {
            return;
        }
        try {
            s.segment(side, clientHint, seq, ack, flags, b, off, len, wireLen, ts, frame, stable);
        } catch (SinkFailure sf) {
            throw sf;
        } catch (RuntimeException ex) {
            failed(s, ts, frame);
        }
        if (s.finished) {
            release(s);
        }
    }

    /** Finished sessions kept for new connections (most recently finished first: still in the cache). */
    private final Session[] pool = new Session[32];
    private int pooled;

    /** Drops the finished connection's state; the reader may keep its entry for a while. */
    private void release(Session s) {
        unlink(s);
        s.e.session = null;
        s.e.workerDone = true;
        if (!s.broken && pooled < pool.length) {
            s.e = null;
            pool[pooled++] = s;
        }
    }

    private void unlink(Session s) {
        if (s.livePrev != null) {
            s.livePrev.liveNext = s.liveNext;
        } else if (liveHead == s) {
            liveHead = s.liveNext;
        }
        if (s.liveNext != null) {
            s.liveNext.livePrev = s.livePrev;
        }
        s.livePrev = null;
        s.liveNext = null;
    }

    private void failed(Session s, long ts, long frame) {
        s.broken = true;
        counters.inc(Counters.C.HTTP_PARSE_ERRORS);
        try {
            s.finish(false, ts, frame);
        } catch (SinkFailure sf) {
            throw sf;
        } catch (RuntimeException again) {
            s.finished = true;
        }
    }

    /** The reader ended the connection (idle, or its 4-tuple was reused). */
    public void close(FlowEntry e, boolean idle) {
        Session s = e.session;
        if (s == null || s.finished) {
            return;
        }
        if (idle) {
            counters.inc(Counters.C.TCP_IDLE_EVICTED);
        }
        try {
            s.finish(false, s.lastNanos, 0);
        } catch (SinkFailure sf) {
            throw sf;
        } catch (RuntimeException ex) {
            failed(s, s.lastNanos, 0);
        }
        release(s);
    }

    /** End of capture: every open connection ends (incomplete messages are reported as such). */
    public void finish() {
        List<Session> all = new ArrayList<>();
        for (Session s = liveHead; s != null; s = s.liveNext) {
            all.add(s);
        }
        all.sort((x, y) -> Long.compare(x.e.id, y.e.id));
        for (Session s : all) {
            try {
                s.finish(false, s.lastNanos, 0);
            } catch (SinkFailure sf) {
                throw sf;
            } catch (RuntimeException ex) {
                failed(s, s.lastNanos, 0);
            }
            s.e.session = null;
            s.e.workerDone = true;
        }
        liveHead = null;
    }
}
