package heron.net.internal;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Locale;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

import heron.core.model.Body;

/**
 * Collects one message body after transfer decoding: removes gzip/deflate content encoding
 * incrementally with a hard output limit (decompression-bomb safe), keeps at most the body cap,
 * and feeds SSE bodies to the splitter as bytes arrive (so each event gets its packet's time).
 */
final class BodyCollector {
    private static final byte[] EMPTY = new byte[0];

    private final int cap;
    private final long decompressLimit;
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
    private final SseSplitter sse;

    // content decoding
    private static final int NONE = 0, GZIP = 1, DEFLATE = 2, UNSUPPORTED = 3;
    private final int coding;
    private Inflater inflater;
    private byte[] head; // gzip header / zlib sniff bytes gathered before inflating
    private int headLen;
    private boolean refused;
    private boolean streamDone;
    private byte[] scratch;

    BodyCollector(int cap, long decompressLimit, String contentEncoding, boolean sse, long expectedLength,
            Counters counters) {
        this.cap = cap;
        this.decompressLimit = decompressLimit;
        this.counters = counters;
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
        if ((c == NONE || c == UNSUPPORTED) && expectedLength > 0) {
            kept = new byte[(int) Math.min(expectedLength, cap)];
        }
    }

    SseSplitter sse() {
        return sse;
    }

    /** Body bytes as they were on the wire (after de-chunking). */
    void wire(ByteBuffer b, int off, int n, long ts, long frame) {
        if (n <= 0) {
            return;
        }
        wireLen += n;
        if (coding == NONE || coding == UNSUPPORTED) {
            decodedLen += n;
            int room = keptFrozen ? 0 : cap - keptLen;
            int k = Math.min(room, n);
            if (k > 0) {
                ensure(keptLen + k);
                b.get(off, kept, keptLen, k);
                if (sse != null && k == n) {
                    sse.feed(kept, keptLen, k, ts, frame);
                }
                keptLen += k;
            }
            if (k < n && !keptFrozen) {
                capped = true;
            }
            if (sse != null && k < n) {
                byte[] s = scratch(n);
                b.get(off, s, 0, n);
                sse.feed(s, 0, n, ts, frame);
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
        byte[] bytes = keptLen == kept.length ? kept : Arrays.copyOf(kept, keptLen);
        boolean truncated = capped || incomplete || damaged || refused;
        if (wireLen == 0 && !truncated && decodeError == null && encoding == null) {
            return Body.EMPTY;
        }
        return new Body(bytes, wireLen, decodedLen, truncated, encoding, decodeError != null ? decodeError : gapNote);
    }
}
