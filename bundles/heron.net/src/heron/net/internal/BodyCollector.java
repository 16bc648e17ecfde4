package heron.net.internal;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

import heron.core.model.Body;
import heron.core.model.SseEvent;

/**
 * Collects one message body after transfer decoding: removes gzip/deflate content encoding
 * incrementally with a hard output limit (decompression-bomb safe), keeps at most the body cap,
 * and feeds SSE bodies to the splitter as bytes arrive (so each event gets its packet's time).
 */
final class BodyCollector {
    private static final byte[] EMPTY = new byte[0];

    private int cap;
    private long decompressLimit;
    private final Counters counters;
    private byte[] kept = EMPTY;
    private int keptLen;
    private long wireLen;
    private long decodedLen;
    private boolean capped;
    boolean damaged;
    private boolean keptFrozen;
    private String gapNote;
    private String encoding;
    private String decodeError;
    private SseSplitter sse;
    private long expectedLength;
    /**
     * Identity-coded bodies start as a list of slices of the packet buffers (no copy) when those
     * buffers stay valid (a mapped capture file, copies of out-of-order segments); the Body then
     * copies them into one array on first use. Otherwise the bytes are copied into {@link #kept}.
     */
    private boolean gathering;
    /** Slices as (offset << 32 | length); all in {@link #segOne} unless {@link #segBuf} is set. */
    private long[] seg;
    private ByteBuffer segOne;
    private ByteBuffer[] segBuf;
    private int segs;

    // content decoding
    private static final int NONE = 0, GZIP = 1, DEFLATE = 2, UNSUPPORTED = 3;
    private int coding;
    private Inflater inflater;
    private byte[] head; // gzip header / zlib sniff bytes gathered before inflating
    private int headLen;
    private boolean refused;
    private boolean streamDone;
    private byte[] scratch;

    BodyCollector(int cap, long decompressLimit, String contentEncoding, boolean sse, long expectedLength,
            Counters counters) {
        this.counters = counters;
        start(cap, decompressLimit, contentEncoding, sse, expectedLength);
    }

    /**
     * The same collector for the next message of its direction, as if new (one object per
     * direction instead of one per message: it was the largest allocation of the ingest). Only
     * after {@link #finish}: nothing the finished body or its events hold is reused.
     */
    BodyCollector restart(int cap, long decompressLimit, String contentEncoding, boolean sse, long expectedLength) {
        if (inflater != null) {
            inflater.end();
            inflater = null;
        }
        kept = EMPTY; // handed to the last Body when it was full
        keptLen = 0;
        wireLen = 0;
        decodedLen = 0;
        capped = false;
        damaged = false;
        keptFrozen = false;
        gapNote = null;
        encoding = null;
        decodeError = null;
        seg = null; // handed to the last Body's slices
        segOne = null;
        segBuf = null;
        segs = 0;
        head = null;
        headLen = 0;
        refused = false;
        streamDone = false;
        // scratch is only a staging buffer within one call: it is kept
        start(cap, decompressLimit, contentEncoding, sse, expectedLength);
        return this;
    }

    private void start(int cap, long decompressLimit, String contentEncoding, boolean sse, long expectedLength) {
        this.cap = cap;
        this.decompressLimit = decompressLimit;
        this.sse = sse ? new SseSplitter() : null;
        int c = NONE;
        if (contentEncoding != null) {
            String e = contentEncoding.trim().toLowerCase(Locale.ROOT);
            if (e.equals("gzip") || e.equals("x-gzip")) {
                c = GZIP;
            } else if (e.equals("deflate")) {
                c = DEFLATE;
            } else if (!e.isEmpty() && !e.equals("identity")) {
                c = UNSUPPORTED;
                decodeError = "content encoding '" + e + "' is not decoded";
                counters.inc(Counters.C.BODY_ENCODING_UNSUPPORTED);
            }
            if (c == GZIP || c == DEFLATE) {
                encoding = e;
                head = new byte[16];
            }
        }
        this.coding = c;
        this.expectedLength = expectedLength;
        gathering = c == NONE || c == UNSUPPORTED;
        if (this.sse != null && !gathering) {
            // decoded bytes arrive in inflater output buffers: events are built as they come
            this.sse.toFull(EMPTY, 0);
        }
    }

    SseSplitter sse() {
        return sse;
    }

    /**
     * Body bytes as they were on the wire (after de-chunking). {@code stable}: b stays valid and
     * unchanged after this call (the body may keep a slice of it instead of a copy).
     * <p>
     * Kept as one method above C2's limit for inlining hot callees (FreqInlineSize, 325 bytes of
     * bytecode on x86-64), on purpose: compiled on its own it keeps the parser's state machine
     * ({@code HttpParser.data}) a small compile. Inlined there (as it was at 323 bytes, with the
     * slice code in a method of its own) it made the cold first pass over a 1 GB capture cost
     * about a third more CPU in C2 compiles and slower tier-3 code (docs/performance.md, Ingest,
     * session 3); warm speed is the same either way.
     */
    void wire(ByteBuffer b, int off, int n, long ts, long frame, boolean stable) {
        if (n <= 0) {
            return;
        }
        wireLen += n;
        if (coding == NONE || coding == UNSUPPORTED) {
            decodedLen += n;
            int room = keptFrozen ? 0 : cap - keptLen;
            int k = Math.min(room, n);
            if (k < n && sse != null && sse.scanning()) {
                // the body will not hold the whole stream: build the events as bytes arrive
                sse.toFull(keptBytes(), keptLen);
            }
            if (k > 0) {
                if (gathering && stable) {
                    // keep a slice of the stable buffer (written out here, see above)
                    int last = segs - 1;
                    if (segs > 0 && bufferOf(last) == b && (int) (seg[last] >>> 32) + (int) seg[last] == off) {
                        seg[last] += k; // adjacent in the same buffer
                    } else {
                        if (segs > 0) {
                            if (segs == seg.length) {
                                seg = Arrays.copyOf(seg, segs * 2);
                                if (segBuf != null) {
                                    segBuf = Arrays.copyOf(segBuf, segs * 2);
                                }
                            }
                            if (segBuf == null && b != segOne) {
                                // slices in more than one buffer (a window boundary, out-of-order copies)
                                segBuf = new ByteBuffer[seg.length];
                                Arrays.fill(segBuf, 0, segs, segOne);
                            }
                        } else {
                            if (seg == null) {
                                // one slice per full-sized segment of the expected length
                                long e = expectedLength > 0 ? Math.min(expectedLength, cap) / 1400 + 2 : 4;
                                seg = new long[(int) Math.min(e, 64)];
                            }
                            segOne = b;
                        }
                        if (segBuf != null) {
                            segBuf[segs] = b;
                        }
                        seg[segs++] = ((long) off << 32) | k;
                    }
                } else {
                    if (gathering) {
                        copyGathered();
                    }
                    ensure(keptLen + k);
                    b.get(off, kept, keptLen, k);
                }
                keptLen += k;
            }
            if (k < n && !keptFrozen) {
                capped = true;
            }
            if (sse != null) {
                if (sse.scanning()) {
                    sse.scan(b, off, n, ts, frame);
                } else {
                    byte[] s = scratch(n);
                    b.get(off, s, 0, n);
                    sse.feed(s, 0, n, ts, frame);
                }
            }
            return;
        }
        if (refused || streamDone || decodeError != null) {
            return;
        }
        byte[] s = scratch(n);
        b.get(off, s, 0, n);
        inflate(s, 0, n, ts, frame);
    }

    private ByteBuffer bufferOf(int i) {
        return segBuf != null ? segBuf[i] : segOne;
    }

    /** Leaves slice mode: copies the slices so far into {@link #kept}. */
    private void copyGathered() {
        gathering = false;
        long want = Math.max(keptLen, Math.min(Math.max(expectedLength, 0), cap));
        kept = new byte[(int) Math.max(want, Math.min(cap, 1024))];
        Slices.copy(segOne, segBuf, seg, segs, kept);
        seg = null;
        segBuf = null;
        segOne = null;
        segs = 0;
    }

    /** The kept bytes as an array (leaves slice mode). */
    private byte[] keptBytes() {
        if (gathering) {
            copyGathered();
        }
        return kept;
    }

    /** The body's bytes: slices of packet buffers copied into one array on first use. */
    private static final class Slices extends Body.Deferred {
        // not final: released once the bytes were copied, so a kept body does not pin the mapping
        private ByteBuffer one;
        private ByteBuffer[] bufs;
        private long[] seg;
        private final int n;

        Slices(ByteBuffer one, ByteBuffer[] bufs, long[] seg, int n, int total) {
            super(total);
            this.one = one;
            this.bufs = bufs;
            this.seg = seg;
            this.n = n;
        }

        @Override
        protected byte[] produce() {
            byte[] out = new byte[length()];
            copy(one, bufs, seg, n, out);
            return out;
        }

        @Override
        protected void release() {
            one = null;
            bufs = null;
            seg = null;
        }

        static void copy(ByteBuffer one, ByteBuffer[] bufs, long[] seg, int n, byte[] out) {
            int p = 0;
            for (int i = 0; i < n; i++) {
                int off = (int) (seg[i] >>> 32);
                int len = (int) seg[i];
                // absolute bulk reads: the shared buffers' positions are never touched
                (bufs != null ? bufs[i] : one).get(off, out, p, len);
                p += len;
            }
        }
    }

    /** A hole of n bytes in the body. */
    void gap(long n) {
        if (!damaged) {
            // only the contiguous prefix is kept: bytes after a hole would sit next to bytes they
            // were never adjacent to
            gapNote = "body has a gap of " + n + " bytes at offset " + wireLen + "; bytes after it are not kept";
            keptFrozen = true;
        }
        wireLen += n;
        damaged = true;
        if (coding == NONE || coding == UNSUPPORTED) {
            decodedLen += n;
        } else if (decodeError == null && !refused) {
            decodeError = "body has a gap: decoding stopped";
        }
        if (sse != null) {
            // bytes after the hole are not kept, so the events cannot be rebuilt from the body later
            sse.toFull(keptBytes(), keptLen);
            sse.discontinuity();
        }
    }

    private void inflate(byte[] in, int off, int n, long ts, long frame) {
        if (inflater == null) {
            // gather the gzip header (or the zlib sniff bytes) first
            int need = Math.min(n, head.length - headLen);
            if (headLen + n > head.length) {
                head = Arrays.copyOf(head, Math.max(head.length * 2, headLen + n));
            }
            System.arraycopy(in, off, head, headLen, n);
            headLen += n;
            int start = coding == GZIP ? gzipHeaderLength(head, headLen) : (headLen >= 2 ? 0 : -1);
            if (start == -2 || (start == -1 && headLen > 65_536)) {
                fail("not a valid gzip stream");
                return;
            }
            if (start < 0) {
                return;
            }
            boolean nowrap = coding == GZIP || !isZlib(head[0], head[1]);
            inflater = new Inflater(nowrap);
            byte[] rest = Arrays.copyOfRange(head, start, headLen);
            head = null;
            if (need >= 0 && rest.length > 0) {
                run(rest, 0, rest.length, ts, frame);
            }
            return;
        }
        run(in, off, n, ts, frame);
    }

    private void run(byte[] in, int off, int n, long ts, long frame) {
        inflater.setInput(in, off, n);
        byte[] out = new byte[Math.max(8192, Math.min(65536, n * 4))];
        try {
            while (!inflater.finished()) {
                int k = inflater.inflate(out);
                if (k == 0) {
                    if (inflater.needsInput() || inflater.needsDictionary()) {
                        break;
                    }
                    continue;
                }
                if (decodedLen + k > decompressLimit) {
                    int allowed = (int) Math.max(0, decompressLimit - decodedLen);
                    decoded(out, allowed, ts, frame);
                    refused = true;
                    decodeError = "decompressed size exceeds the limit of " + decompressLimit + " bytes";
                    counters.inc(Counters.C.BODY_DECOMPRESSION_REFUSED);
                    end();
                    return;
                }
                decoded(out, k, ts, frame);
            }
            if (inflater.finished()) {
                // gzip trailer or further members follow; one member is what HTTP bodies carry
                streamDone = true;
                end();
            }
        } catch (DataFormatException e) {
            fail("corrupt " + encoding + " data: " + e.getMessage());
        }
    }

    private void fail(String why) {
        decodeError = why;
        counters.inc(Counters.C.BODY_DECOMPRESSION_FAILED);
        end();
    }

    private void end() {
        if (inflater != null) {
            inflater.end();
            inflater = null;
        }
        head = null;
    }

    private void decoded(byte[] out, int k, long ts, long frame) {
        decodedLen += k;
        int room = cap - keptLen;
        int c = Math.min(room, k);
        if (c > 0) {
            ensure(keptLen + c);
            System.arraycopy(out, 0, kept, keptLen, c);
            keptLen += c;
        }
        if (c < k) {
            capped = true;
        }
        if (sse != null) {
            sse.feed(out, 0, k, ts, frame);
        }
    }

    private static boolean isZlib(byte cmf, byte flg) {
        return (cmf & 0x0F) == 8 && (((cmf & 0xFF) << 8) | (flg & 0xFF)) % 31 == 0;
    }

    /** Length of a complete gzip member header (RFC 1952), -1 if more bytes are needed, -2 if invalid. */
    static int gzipHeaderLength(byte[] h, int n) {
        if (n < 10) {
            return n >= 2 && ((h[0] & 0xFF) != 0x1f || (h[1] & 0xFF) != 0x8b) ? -2 : -1;
        }
        if ((h[0] & 0xFF) != 0x1f || (h[1] & 0xFF) != 0x8b || h[2] != 8) {
            return -2;
        }
        int flg = h[3] & 0xFF;
        int p = 10;
        if ((flg & 4) != 0) { // FEXTRA
            if (n < p + 2) {
                return -1;
            }
            p += 2 + ((h[p] & 0xFF) | ((h[p + 1] & 0xFF) << 8));
        }
        for (int bit : new int[] { 8, 16 }) { // FNAME, FCOMMENT: zero-terminated
            if ((flg & bit) != 0) {
                while (p < n && h[p] != 0) {
                    p++;
                }
                if (p >= n) {
                    return -1;
                }
                p++;
            }
        }
        if ((flg & 2) != 0) { // FHCRC
            p += 2;
        }
        return p <= n ? p : -1;
    }

    private byte[] scratch(int n) {
        if (scratch == null || scratch.length < n) {
            scratch = new byte[Math.max(n, 16384)];
        }
        return scratch;
    }

    private void ensure(int n) {
        if (n > kept.length) {
            kept = Arrays.copyOf(kept, (int) Math.min(cap, Math.max(n, Math.max(1024L, kept.length * 2L))));
        }
    }

    /** Ends the body; {@code incomplete} when the message was cut off. */
    Body finish(boolean incomplete, long ts, long frame) {
        if (sse != null) {
            sse.finish(ts, frame);
        }
        if (coding == GZIP || coding == DEFLATE) {
            if (!streamDone && !refused && decodeError == null && wireLen > 0 && !incomplete) {
                // ran out of input before the end of the compressed stream
                decodeError = "compressed stream ended early";
                counters.inc(Counters.C.BODY_DECOMPRESSION_FAILED);
            }
            end();
        }
        if (capped) {
            counters.inc(Counters.C.BODY_CAPPED);
        }
        boolean truncated = capped || incomplete || damaged || refused;
        if (wireLen == 0 && !truncated && decodeError == null && encoding == null) {
            return Body.EMPTY;
        }
        String note = decodeError != null ? decodeError : gapNote;
        if (gathering && keptLen > 0) {
            return Body.deferred(new Slices(segOne, segBuf, seg, segs, keptLen), wireLen, decodedLen, truncated,
                    encoding, note);
        }
        byte[] bytes = keptLen == kept.length ? kept : Arrays.copyOf(kept, keptLen);
        return new Body(bytes, wireLen, decodedLen, truncated, encoding, note);
    }

    /** The SSE events of the finished body (built on first access when the body holds them all). */
    List<SseEvent> events(Body body) {
        if (sse == null) {
            return List.of();
        }
        return sse.scanning() ? sse.deferredEvents(body) : sse.events;
    }
}
