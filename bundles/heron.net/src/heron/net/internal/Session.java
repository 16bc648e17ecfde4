package heron.net.internal;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.TreeMap;

import heron.core.model.Connection;
import heron.core.model.Endpoint;
import heron.core.model.HttpExchange;
import heron.core.model.HttpResponse;
import heron.net.NetOptions;

/**
 * Worker-side state of one TCP connection: per-direction reassembly (sequence numbers as 64-bit
 * stream offsets, so 32-bit wrap-around is a non-event), the two HTTP parsers, and request/response
 * pairing in order (pipelining is a queue). In-order segments are handed to the parser straight
 * from the capture buffer; only out-of-order segments are copied.
 */
final class Session {
    /** Per-direction bounds of the out-of-order buffer; past them the hole is declared a gap. */
    static final int MAX_OOO_SEGMENTS = 256;
    static final int MAX_OOO_BYTES = 4 << 20;

    /** Not final: a finished session is reused for a later connection of its worker ({@link #reuse}). */
    FlowEntry e;
    final FlowWorker w;
    final NetOptions options;
    final Counters c;
    final Dir[] dir = new Dir[2];
    final HttpParser[] http = new HttpParser[2];
    /** The parsers of an earlier connection of this session object, reused by {@link #parser}. */
    private final HttpParser[] spareHttp = new HttpParser[2];
    /** A failure inside the connection left its state undefined: the object is not reused. */
    boolean broken;
    /** Links of the worker's list of open sessions. */
    Session livePrev, liveNext;
    int clientSide = -1;
    int firstSide = -1;
    boolean anyHttp, sawTls, finished, midstreamCounted;
    long firstNanos, lastNanos;
    final long[] packets = new long[2];
    final long[] bytes = new long[2];
    long retransmissions, outOfOrder, gaps, gapBytes;

    private final ArrayDeque<Exchange> awaiting = new ArrayDeque<>(2);
    private final ArrayDeque<Exchange> open = new ArrayDeque<>(2);
    /** Responses seen before their request (placeholders), oldest first; usually empty. */
    private ArrayDeque<Exchange> held;
    /** A request start line was parsed on this connection: the client direction is at a message boundary. */
    private boolean requestSeen;
    /** The gap count when the last request started. */
    private long gapsAtLastRequest;
    private int sequence;
    private long lastRequestFrame = -1;
    private int indexInFrame;
    private Endpoint client, server;

    Session(FlowEntry e, FlowWorker w) {
        this.e = e;
        this.w = w;
        this.options = w.options;
        this.c = w.counters;
        dir[0] = new Dir(0);
        dir[1] = new Dir(1);
    }

    void setClient(int side) {
        if (clientSide >= 0) {
            return;
        }
        clientSide = side;
        for (int i = 0; i < 2; i++) {
            if (http[i] != null) {
                http[i].setRole(i == side ? HttpParser.ROLE_REQUEST : HttpParser.ROLE_RESPONSE);
            }
        }
    }

    /**
     * This object for connection {@code e}, as if new. Only after the connection finished
     * cleanly: what it emitted (exchanges, bodies, events, the connection) holds nothing of the
     * session or its parsers. A worker keeps a few finished sessions so a new connection does not
     * allocate its dozen objects again (they were a quarter of the ingest's allocated bytes).
     */
    void reuse(FlowEntry entry) {
        this.e = entry;
        for (int i = 0; i < 2; i++) {
            if (http[i] != null) {
                spareHttp[i] = http[i];
                http[i] = null;
            }
            dir[i].reset();
        }
        livePrev = null;
        liveNext = null;
        clientSide = -1;
        firstSide = -1;
        anyHttp = false;
        sawTls = false;
        finished = false;
        midstreamCounted = false;
        firstNanos = 0;
        lastNanos = 0;
        packets[0] = 0;
        packets[1] = 0;
        bytes[0] = 0;
        bytes[1] = 0;
        retransmissions = 0;
        outOfOrder = 0;
        gaps = 0;
        gapBytes = 0;
        awaiting.clear();
        open.clear();
        held = null;
        requestSeen = false;
        gapsAtLastRequest = 0;
        sequence = 0;
        lastRequestFrame = -1;
        indexInFrame = 0;
        client = null;
        server = null;
    }

    HttpParser parser(int side, boolean synced) {
        HttpParser p = http[side];
        if (p == null) {
            p = spareHttp[side];
            if (p != null) {
                spareHttp[side] = null;
                p.reuse(synced);
            } else {
                p = new HttpParser(this, c, synced);
            }
            if (clientSide >= 0) {
                p.setRole(side == clientSide ? HttpParser.ROLE_REQUEST : HttpParser.ROLE_RESPONSE);
            }
            http[side] = p;
        }
        return p;
    }

    void segment(int side, int clientHint, int seq, int ack, int flags, ByteBuffer b, int off, int len, int wireLen,
            long ts, long frame, boolean stable) {
        if (firstSide < 0) {
            firstSide = side;
            firstNanos = ts;
        }
        lastNanos = ts;
        packets[side]++;
        bytes[side] += wireLen;
        if (clientHint >= 0 && clientSide < 0) {
            setClient(clientHint);
        }
        if ((flags & PacketDecoder.RST) != 0) {
            finish(false, ts, frame);
            return;
        }
        Dir d = dir[side];
        if ((flags & PacketDecoder.SYN) != 0) {
            if (!d.started) {
                d.started = true;
                d.synced = true;
                d.nextSeq = seq + 1;
            }
            return; // data on SYN (TCP Fast Open) is not reassembled
        }
        if ((flags & PacketDecoder.ACK) != 0) {
            dir[1 - side].acked(ack, ts, frame);
        }
        d.segment(seq, (flags & PacketDecoder.FIN) != 0, b, off, len, wireLen, ts, frame, stable);
        if (dir[0].finDelivered && dir[1].finDelivered) {
            finish(true, ts, frame);
        }
    }

    Exchange newExchange(long firstFrame, String method) {
        if (firstFrame == lastRequestFrame) {
            indexInFrame++;
        } else {
            lastRequestFrame = firstFrame;
            indexInFrame = 0;
        }
        Exchange x = new Exchange(HttpExchange.idOf(firstFrame, indexInFrame), sequence++, method, firstFrame);
        awaiting.add(x);
        open.add(x);
        requestSeen = true;
        if (held != null && !held.isEmpty()) {
            claimHeld(x);
        }
        gapsAtLastRequest = gaps;
        return x;
    }

    /**
     * Called for a response that no captured request can answer. When the client direction is known
     * to be at a message boundary (its SYN was captured, or a request was already parsed), a server
     * cannot have answered a request it never got: the request's packets are in the capture later
     * (reordered across directions by the capture: several interfaces, merged files). The response
     * is then held for the next request instead of being dropped. A connection picked up mid-way
     * keeps the old rule: its first response answers a request the capture missed.
     *
     * @return the placeholder to parse the response into, or null (an orphan, already counted)
     */
    Exchange holdResponse(long responseFirstFrame) {
        // a gap since the last request may have swallowed the request this response answers
        boolean clientAtBoundary = clientSide >= 0 && (dir[clientSide].synced || requestSeen)
                && gaps == gapsAtLastRequest;
        if (!clientAtBoundary || !awaiting.isEmpty()) {
            c.inc(Counters.C.HTTP_ORPHAN_RESPONSES);
            return null;
        }
        if (held == null) {
            held = new ArrayDeque<>(2);
        }
        Exchange p = Exchange.placeholder(responseFirstFrame, gaps);
        held.add(p);
        return p;
    }

    /**
     * Gives the oldest held response to the request just started. Not when a gap came in between:
     * the request the response answers may be the one lost in it, and pairing the next one would
     * shift every later pair.
     */
    private void claimHeld(Exchange x) {
        Exchange p = held.poll();
        if (p.gapMark != gaps || awaiting.size() != 1) {
            c.inc(Counters.C.HTTP_ORPHAN_RESPONSES);
            for (int i = held.size(); i > 0; i--) {
                held.poll();
                c.inc(Counters.C.HTTP_ORPHAN_RESPONSES);
            }
            return;
        }
        awaiting.pollLast(); // x: answered already
        c.inc(Counters.C.HTTP_RESPONSES_BEFORE_REQUEST);
        if (p.responseDone) {
            x.response = p.response;
            x.responseDone = true;
        } else {
            p.claimedBy = x; // still arriving: messageDone hands it over
        }
    }

    /** A held response is complete: to its claiming request, or kept until one comes. */
    void heldResponseDone(Exchange p, HttpResponse response) {
        if (p.claimedBy != null) {
            p.claimedBy.response = response;
            p.claimedBy.responseDone = true;
            maybeEmit(p.claimedBy);
        } else {
            p.response = response;
            p.responseDone = true;
        }
    }

    /**
     * The oldest unanswered request, unless it started after this response: then the response
     * answers a request the capture missed (mid-connection start) and must not steal this one.
     */
    Exchange pairResponse(long responseFirstFrame) {
        Exchange x = awaiting.peek();
        if (x == null || x.requestFirstFrame > responseFirstFrame) {
            return null;
        }
        return awaiting.poll();
    }

    void protocolSwitched() {
        // after 101 Switching Protocols the bytes are no longer HTTP/1.x
        for (HttpParser p : http) {
            if (p != null && p.state != HttpParser.S_DEAD) {
                p.state = HttpParser.S_DEAD;
            }
        }
    }

    void maybeEmit(Exchange x) {
        if (x.requestDone && x.responseDone && !x.emitted) {
            emit(x);
        }
    }

    private void emit(Exchange x) {
        x.emitted = true;
        if (open.peekFirst() == x) {
            open.pollFirst(); // the usual case: exchanges complete in order
        } else {
            open.remove(x);
        }
        endpoints();
        c.inc(Counters.C.HTTP_EXCHANGES);
        HttpExchange ex = new HttpExchange(x.id, e.id, x.sequence, client, server, x.request, x.response, null);
        try {
            w.sink.exchange(ex);
        } catch (RuntimeException | Error t) {
            throw new FlowWorker.SinkFailure(t);
        }
    }

    private void endpoints() {
        if (client == null) {
            int cs = clientSide >= 0 ? clientSide : Math.max(firstSide, 0);
            Endpoint a = new Endpoint(w.ipText(e.ipv6, e.aHi, e.aLo), e.aPort);
            Endpoint b = new Endpoint(w.ipText(e.ipv6, e.bHi, e.bLo), e.bPort);
            client = cs == 0 ? a : b;
            server = cs == 0 ? b : a;
        }
    }

    /** Ends the connection: flushes buffered segments (holes become gaps), ends parsers, emits. */
    void finish(boolean clean, long ts, long frame) {
        if (finished) {
            return;
        }
        finished = true;
        for (int i = 0; i < 2; i++) {
            dir[i].flush(clean, ts, frame);
        }
        for (Exchange x : open.isEmpty() ? NO_EXCHANGES : open.toArray(NO_EXCHANGES)) {
            if (x.request == null) {
                continue; // cannot happen: an exchange exists only once request headers parsed
            }
            if (!x.responseDone) {
                c.inc(Counters.C.HTTP_UNANSWERED);
            }
            emit(x);
        }
        awaiting.clear();
        if (held != null) {
            for (Exchange p : held) {
                if (p.claimedBy == null) {
                    c.inc(Counters.C.HTTP_ORPHAN_RESPONSES); // its request never came
                }
            }
            held.clear();
        }
        endpoints();
        Connection.Protocol proto = anyHttp ? Connection.Protocol.HTTP
                : sawTls ? Connection.Protocol.TLS
                        : (bytes[0] + bytes[1]) > 0 ? Connection.Protocol.OTHER : Connection.Protocol.EMPTY;
        int cs = clientSide >= 0 ? clientSide : Math.max(firstSide, 0);
        Connection conn = new Connection(e.id, client, server, firstNanos, lastNanos, packets[cs], packets[1 - cs],
                bytes[cs], bytes[1 - cs], retransmissions, outOfOrder, gaps, gapBytes, proto);
        try {
            w.sink.connection(conn);
        } catch (RuntimeException | Error t) {
            throw new FlowWorker.SinkFailure(t);
        }
    }

    private static final Exchange[] NO_EXCHANGES = new Exchange[0];

    void countGap(long n) {
        gaps++;
        gapBytes += n;
        c.inc(Counters.C.TCP_GAPS);
        c.add(Counters.C.TCP_GAP_BYTES, n);
    }

    /** A buffered out-of-order segment (captured bytes copied). */
    private record Seg(long off, byte[] data, int wireLen, boolean fin, long ts, long frame) {
    }

    /** One direction's reassembly state. */
    final class Dir {
        final int side;
        boolean started, synced, finDelivered;
        int nextSeq;
        /** Stream offset of nextSeq. */
        long pos;
        private TreeMap<Long, Seg> ooo;
        private int oooBytes;

        Dir(int side) {
            this.side = side;
        }

        /** As constructed (see {@link Session#reuse}). */
        void reset() {
            started = false;
            synced = false;
            finDelivered = false;
            nextSeq = 0;
            pos = 0;
            ooo = null;
            oooBytes = 0;
        }

        void segment(int seq, boolean fin, ByteBuffer b, int off, int len, int wireLen, long ts, long frame,
                boolean stable) {
            if (!started) {
                started = true;
                nextSeq = seq;
                if (!midstreamCounted && !dir[1 - side].synced) {
                    midstreamCounted = true;
                    c.inc(Counters.C.TCP_MIDSTREAM);
                }
            }
            if (finDelivered) {
                if (wireLen > 0) {
                    retransmissions++;
                    c.inc(Counters.C.TCP_RETRANSMITTED);
                }
                return;
            }
            long segOff = pos + (seq - nextSeq); // signed 32-bit distance: wrap-around safe
            long segEnd = segOff + wireLen;
            if (wireLen == 0) {
                if (fin) {
                    if (segOff == pos) {
                        deliverFin(ts, frame);
                    } else if (segOff > pos) {
                        park(new Seg(segOff, new byte[0], 0, true, ts, frame));
                    }
                }
                return;
            }
            if (segEnd <= pos) {
                retransmissions++;
                c.inc(Counters.C.TCP_RETRANSMITTED);
                if (fin && segEnd == pos) {
                    deliverFin(ts, frame);
                }
                return;
            }
            if (segOff > pos) {
                byte[] copy = new byte[len];
                b.get(off, copy, 0, len);
                outOfOrder++;
                c.inc(Counters.C.TCP_OUT_OF_ORDER);
                park(new Seg(segOff, copy, wireLen, fin, ts, frame));
                return;
            }
            deliver(b, off, len, wireLen, segOff, fin, ts, frame, stable);
            if (ooo != null && !ooo.isEmpty()) {
                drain();
            }
        }

        private void deliver(ByteBuffer b, int off, int len, int wireLen, long segOff, boolean fin, long ts,
                long frame, boolean stable) {
            int skip = (int) (pos - segOff);
            if (skip > 0) {
                retransmissions++;
                c.inc(Counters.C.TCP_RETRANSMITTED);
            }
            HttpParser p = parser(side, synced);
            if (skip < len) {
                p.data(b, off + skip, len - skip, ts, frame, skip == 0, stable);
            }
            long missingFrom = Math.max(segOff + len, pos);
            long missing = segOff + wireLen - missingFrom;
            if (missing > 0) {
                // snaplen cut this segment: its missing bytes are a gap, never invented data
                countGap(missing);
                p.gap(missing, ts, frame);
            }
            advance(segOff + wireLen);
            if (fin) {
                deliverFin(ts, frame);
            }
        }

        private void advance(long newPos) {
            nextSeq += (int) (newPos - pos);
            pos = newPos;
        }

        private void deliverFin(long ts, long frame) {
            if (!finDelivered) {
                finDelivered = true;
                parser(side, synced).end(true, ts, frame);
            }
        }

        private void park(Seg s) {
            if (ooo == null) {
                ooo = new TreeMap<>();
            }
            Seg old = ooo.get(s.off);
            if (old != null) {
                if (old.wireLen >= s.wireLen && (old.fin || !s.fin)) {
                    retransmissions++;
                    c.inc(Counters.C.TCP_RETRANSMITTED);
                    return;
                }
                oooBytes -= old.data.length;
            }
            ooo.put(s.off, s);
            oooBytes += s.data.length;
            while (ooo.size() > MAX_OOO_SEGMENTS || oooBytes > MAX_OOO_BYTES) {
                // the hole before the first buffered segment is not going to be filled in time
                Seg first = ooo.firstEntry().getValue();
                long hole = first.off - pos;
                if (hole > 0) {
                    countGap(hole);
                    parser(side, synced).gap(hole, first.ts, first.frame);
                    advance(first.off);
                }
                drain();
            }
        }

        private void drain() {
            while (!ooo.isEmpty() && !finDelivered) {
                Map.Entry<Long, Seg> f = ooo.firstEntry();
                Seg s = f.getValue();
                if (s.off > pos) {
                    return;
                }
                ooo.pollFirstEntry();
                oooBytes -= s.data.length;
                if (s.off + s.wireLen < pos || (s.off + s.wireLen == pos && !s.fin)) {
                    retransmissions++;
                    c.inc(Counters.C.TCP_RETRANSMITTED);
                    continue;
                }
                if (s.wireLen == 0) {
                    if (s.fin) {
                        deliverFin(s.ts, s.frame);
                    }
                    continue;
                }
                // the copy of a buffered segment is never reused: stable
                deliver(ByteBuffer.wrap(s.data), 0, s.data.length, s.wireLen, s.off, s.fin, s.ts, s.frame, true);
            }
        }

        /**
         * The peer acknowledged this direction up to {@code ack}. When a hole waits before
         * buffered segments and the peer has acknowledged bytes in it, the peer has them: the
         * capture missed them (drops, snaplen) and no retransmission will come, so the acknowledged
         * part is a gap now instead of when the buffer overflows or the connection ends (which
         * would hold every later message of a keep-alive connection back, and leave their responses
         * without requests). Without buffered segments nothing is done: an ACK ahead of the data
         * seen may also be a capture that wrote the two directions out of order.
         */
        void acked(int ack, long ts, long frame) {
            if (ooo == null || ooo.isEmpty() || !started || finDelivered) {
                return;
            }
            long ackOff = pos + (ack - nextSeq); // signed 32-bit distance: wrap-around safe
            Seg first = ooo.firstEntry().getValue();
            long holeEnd = Math.min(ackOff, first.off);
            if (holeEnd > pos) {
                countGap(holeEnd - pos);
                parser(side, synced).gap(holeEnd - pos, first.ts, first.frame);
                advance(holeEnd);
                drain();
            }
        }

        /** End of the connection: remaining holes are gaps; then the parser ends. */
        void flush(boolean clean, long ts, long frame) {
            if (ooo != null) {
                while (!ooo.isEmpty() && !finDelivered) {
                    Seg first = ooo.firstEntry().getValue();
                    long hole = first.off - pos;
                    if (hole > 0) {
                        countGap(hole);
                        parser(side, synced).gap(hole, first.ts, first.frame);
                        advance(first.off);
                    }
                    drain();
                }
                ooo = null;
            }
            HttpParser p = http[side];
            if (p != null && !finDelivered) {
                p.end(false, ts, frame);
            }
        }
    }
}
