package heron.net.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import heron.core.model.Body;
import heron.core.model.Header;
import heron.core.model.Headers;
import heron.core.model.HttpRequest;
import heron.core.model.HttpResponse;
import heron.core.model.SseEvent;

/**
 * Incremental HTTP/1.x parser for one direction of a connection (RFC 9112). Bytes arrive as they
 * are reassembled; headers are gathered in a small buffer, bodies go straight to the
 * {@link BodyCollector}. After damage (a gap inside framing, a malformed message) it skips to the
 * next segment that starts like a message and resynchronises there.
 */
final class HttpParser {
    static final int ROLE_UNKNOWN = 0, ROLE_REQUEST = 1, ROLE_RESPONSE = 2, ROLE_TLS = 3, ROLE_OTHER = 4;
    static final int S_START = 0, S_HEAD = 1, S_BODY_LEN = 2, S_CHUNK_SIZE = 3, S_CHUNK_DATA = 4, S_CHUNK_CRLF = 5,
            S_TRAILERS = 6, S_BODY_CLOSE = 7, S_SKIP = 8, S_DEAD = 9;
    private static final int MAX_HEAD = 256 * 1024;
    private static final int MAX_HEADERS = 512;

    private final Session s;
    private final Counters c;
    int role;
    int state;
    boolean everHttp;
    boolean sawBytes;
    /** A message start was seen (even if the message was then cut): the direction is HTTP. */
    boolean sawStart;
    /** Header bytes of a message split across deliveries, chunk-size lines and trailers. */
    private byte[] hdr = NO_BYTES;
    private static final byte[] NO_BYTES = new byte[0];
    private int hdrLen;
    private long remaining;

    // current message
    private long firstTs, firstFrame, headTs, headFrame, lastTs, lastFrame;
    private String method, target, version, reason;
    private int status;
    private List<Header> headers;
    /** Immutable view of {@link #headers}; rebuilt only when trailers add fields. */
    private Headers currentHeaders;
    private BodyCollector body;
    /** The finished collector of the last message, for the next one (see BodyCollector.restart). */
    private BodyCollector spareBody;
    private Exchange exchange;
    private boolean noBody;

    HttpParser(Session s, Counters c, boolean synced) {
        this.s = s;
        this.c = c;
        this.state = synced ? S_START : S_SKIP;
    }

    /**
     * As if constructed for a new connection of the same session object (see
     * {@link Session#reuse}): every field back to its initial value, except the finished body
     * collector ({@link #spareBody}, restarted per message anyway) and the header buffer (scratch
     * space whose contents are never handed out) when it is small.
     */
    void reuse(boolean synced) {
        role = ROLE_UNKNOWN;
        state = synced ? S_START : S_SKIP;
        everHttp = false;
        sawBytes = false;
        sawStart = false;
        if (hdr.length > 4096) {
            hdr = NO_BYTES;
        }
        hdrLen = 0;
        remaining = 0;
        firstTs = 0;
        firstFrame = 0;
        headTs = 0;
        headFrame = 0;
        lastTs = 0;
        lastFrame = 0;
        method = null;
        target = null;
        version = null;
        reason = null;
        status = 0;
        headers = null;
        currentHeaders = null;
        if (body != null) {
            body = null; // a message that never finished: its collector is not reused
        }
        exchange = null;
        noBody = false;
        headSrc = null;
        headSrcOff = 0;
        lineEnds = 0;
        lineIdx = 0;
        chunked = false;
        sawTe = false;
        eventStream = false;
        sawCt = false;
        contentEncoding = null;
        sawCe = false;
        contentLength = 0;
    }

    void setRole(int r) {
        if (role == ROLE_UNKNOWN) {
            role = r;
        }
    }

    boolean inMessage() {
        return state >= S_HEAD && state <= S_BODY_CLOSE;
    }

    /**
     * Reassembled bytes b[off, off+len). {@code segStart}: they start a TCP segment.
     * {@code stable}: b stays valid and unchanged afterwards (bodies may keep slices of it).
     */
    void data(ByteBuffer b, int off, int len, long ts, long frame, boolean segStart, boolean stable) {
        sawBytes = true;
        int p = off;
        int end = off + len;
        // one small loop over the states; each state that is more than a few lines is a method of
        // its own (returning the new position), so the JIT compiles small units early instead of
        // one large method late (a cold first pass over a big capture runs mostly in that code)
        while (p < end) {
            switch (state) {
                case S_BODY_LEN, S_CHUNK_DATA -> {
                    int k = (int) Math.min(remaining, end - p);
                    body.wire(b, p, k, ts, frame, stable);
                    p += k;
                    remaining -= k;
                    lastTs = ts;
                    lastFrame = frame;
                    if (remaining == 0) {
                        if (state == S_BODY_LEN) {
                            messageDone(true, ts, frame);
                        } else {
                            state = S_CHUNK_CRLF;
                        }
                    }
                }
                case S_HEAD -> p = head(b, p, end, ts, frame, stable);
                case S_START -> p = start(b, p, end, ts, frame);
                case S_CHUNK_CRLF -> {
                    byte x = b.get(p);
                    if (x == '\r') {
                        p++;
                    } else if (x == '\n') {
                        p++;
                        state = S_CHUNK_SIZE;
                        hdrLen = 0;
                    } else {
                        parseError();
                    }
                }
                case S_CHUNK_SIZE -> p = chunkSizeLine(b, p, end, ts, frame);
                case S_TRAILERS -> p = trailers(b, p, end, ts, frame);
                case S_BODY_CLOSE -> {
                    body.wire(b, p, end - p, ts, frame, stable);
                    lastTs = ts;
                    lastFrame = frame;
                    p = end;
                }
                case S_SKIP -> p = skip(b, p, off, end, segStart);
                case S_DEAD -> {
                    c.add(Counters.C.BYTES_NOT_HTTP, end - p);
                    return;
                }
                default -> throw new IllegalStateException("state " + state);
            }
        }
    }

    /** Skipping after damage: a segment that starts like a message resynchronises. */
    private int skip(ByteBuffer b, int p, int off, int end, boolean segStart) {
        if (p == off && segStart) {
            if (role == ROLE_UNKNOWN || role == ROLE_TLS || role == ROLE_OTHER) {
                if (!everHttp && looksTls(b, p, end)) {
                    becomeTls();
                    return p;
                }
            } else if (looksLikeStart(b, p, end)) {
                state = S_START;
                return p;
            }
        }
        c.add(Counters.C.BYTES_NOT_HTTP, end - p);
        return end;
    }

    /** Between messages: the next start line begins the header block. */
    private int start(ByteBuffer b, int p, int end, long ts, long frame) {
        // stray CR/LF between messages are ignored (RFC 9112 §2.2)
        while (p < end && (b.get(p) == '\r' || b.get(p) == '\n')) {
            p++;
        }
        if (p == end) {
            return end;
        }
        if (role == ROLE_UNKNOWN || !looksLikeStart(b, p, end)) {
            if (!everHttp && looksTls(b, p, end)) {
                becomeTls();
            } else if (!everHttp && role != ROLE_UNKNOWN) {
                role = ROLE_OTHER;
                state = S_DEAD;
                c.inc(Counters.C.STREAMS_NOT_HTTP);
            } else if (role == ROLE_UNKNOWN) {
                state = S_SKIP;
                c.add(Counters.C.BYTES_NOT_HTTP, end - p);
                return end;
            } else {
                parseError();
            }
            return p;
        }
        firstTs = ts;
        firstFrame = frame;
        hdrLen = 0;
        state = S_HEAD;
        sawStart = true;
        return p;
    }

    /** Inside a header block. */
    private int head(ByteBuffer b, int p, int end, long ts, long frame, boolean stable) {
        if (hdrLen == 0) {
            // fast path: the whole header block is in this delivery; find its end in
            // place and copy just the block into the worker's scratch buffer, so
            // connections need no header buffer of their own
            byte[] scratch = s.w.headScratch;
            int found = headEndRecordingLines(b, p, Math.min(end, p + scratch.length));
            if (found >= 0) {
                int n = found + 1 - p;
                b.get(p, scratch, 0, n);
                byte[] own = hdr;
                hdr = scratch;
                hdrLen = n;
                p += n;
                headTs = ts;
                headFrame = frame;
                lastTs = ts;
                lastFrame = frame;
                // a block in a stable buffer: its Headers keep a slice, not a copy
                headSrc = stable ? b : null;
                headSrcOff = p - n;
                headComplete(ts, frame);
                headSrc = null;
                lineEnds = 0;
                hdr = own;
                hdrLen = 0;
                return p;
            }
        }
        // copy in small slices: the header block usually ends early in a big segment
        int n = Math.min(end - p, 2048);
        if (hdrLen + n > MAX_HEAD) {
            parseError();
            return p;
        }
        if (hdrLen + n > hdr.length) {
            hdr = Arrays.copyOf(hdr, Math.max(hdr.length * 2, hdrLen + n));
        }
        b.get(p, hdr, hdrLen, n);
        int found = headEnd(hdr, hdrLen, hdrLen + n);
        if (found < 0) {
            hdrLen += n;
            p += n;
        } else {
            p += found + 1 - hdrLen;
            hdrLen = found + 1;
            headTs = ts;
            headFrame = frame;
            lastTs = ts;
            lastFrame = frame;
            headSrc = null; // gathered from several deliveries: the Headers copy it
            headComplete(ts, frame);
        }
        return p;
    }

    /** A chunk-size line (chunked transfer coding). */
    private int chunkSizeLine(ByteBuffer b, int p, int end, long ts, long frame) {
        boolean eol = false;
        while (p < end) {
            byte x = b.get(p++);
            if (x == '\n') {
                eol = true;
                break;
            }
            if (hdrLen < 1024) {
                if (hdrLen == hdr.length) {
                    hdr = Arrays.copyOf(hdr, Math.max(64, hdr.length * 2));
                }
                hdr[hdrLen++] = x;
            } else {
                parseError();
                break;
            }
        }
        lastTs = ts;
        lastFrame = frame;
        if (eol) {
            long size = chunkSize();
            if (size < 0) {
                parseError();
            } else if (size == 0) {
                state = S_TRAILERS;
                hdrLen = 0;
            } else {
                remaining = size;
                state = S_CHUNK_DATA;
            }
        }
        return p;
    }

    /** The trailer section after the last chunk, up to its blank line. */
    private int trailers(ByteBuffer b, int p, int end, long ts, long frame) {
        boolean done = false;
        while (p < end) {
            byte x = b.get(p++);
            if (hdrLen == hdr.length) {
                if (hdr.length >= MAX_HEAD) {
                    parseError();
                    break;
                }
                hdr = Arrays.copyOf(hdr, Math.max(64, hdr.length * 2));
            }
            hdr[hdrLen++] = x;
            if (x == '\n' && (hdrLen == 1 || (hdrLen == 2 && hdr[0] == '\r') || hdr[hdrLen - 2] == '\n'
                    || (hdrLen >= 3 && hdr[hdrLen - 2] == '\r' && hdr[hdrLen - 3] == '\n'))) {
                done = true;
                break;
            }
        }
        lastTs = ts;
        lastFrame = frame;
        if (done) {
            // trailer fields join the header list (usually there are none: the
            // section is just the blank line, and the headers stay as they are)
            List<Header> trailers = new ArrayList<>(2);
            if (hdrLen > 0 && (hdr[0] == ' ' || hdr[0] == '\t')) {
                // a folded first trailer line continues the last header field
                headers = new ArrayList<>(currentHeaders != null ? currentHeaders.list() : List.of());
                parseFields(0, headers);
            } else {
                parseFields(0, trailers);
            }
            if (!trailers.isEmpty()) {
                headers = new ArrayList<>(currentHeaders != null ? currentHeaders.list() : List.of());
                headers.addAll(trailers);
            }
            messageDone(true, ts, frame);
        }
        return p;
    }

    /** n bytes of this direction were lost (not captured, or cut by the snaplen). */
    void gap(long n, long ts, long frame) {
        switch (state) {
            case S_BODY_LEN -> {
                long k = Math.min(n, remaining);
                body.gap(k);
                remaining -= k;
                if (remaining == 0) {
                    messageDone(true, ts, frame);
                    if (n > k) {
                        state = S_SKIP;
                    }
                }
            }
            case S_BODY_CLOSE -> body.gap(n);
            case S_HEAD, S_CHUNK_SIZE, S_CHUNK_DATA, S_CHUNK_CRLF, S_TRAILERS -> {
                if (body != null) {
                    body.gap(n);
                }
                if (state == S_HEAD) {
                    c.inc(Counters.C.HTTP_INCOMPLETE);
                    partialHead(ts, frame);
                } else {
                    cutOff(ts, frame);
                }
                state = S_SKIP;
            }
            case S_START -> state = S_SKIP;
            default -> {
                // already skipping
            }
        }
    }

    /** End of this direction: FIN ({@code clean}) or RST / end of capture / eviction. */
    void end(boolean clean, long ts, long frame) {
        if (state == S_BODY_CLOSE) {
            messageDone(clean, lastTs, lastFrame);
        } else if (inMessage()) {
            cutOff(ts, frame);
        }
        if (sawBytes && !everHttp && !sawStart && role != ROLE_TLS && role != ROLE_OTHER) {
            c.inc(Counters.C.STREAMS_NOT_HTTP);
            role = ROLE_OTHER;
        }
        state = S_DEAD;
    }

    private void cutOff(long ts, long frame) {
        c.inc(Counters.C.HTTP_INCOMPLETE);
        if (state == S_HEAD) {
            // headers never completed: nothing to report but the count
            state = S_SKIP;
            return;
        }
        messageDone(false, lastTs, lastFrame);
    }

    /**
     * The header block was cut by a gap (typically a snaplen): the start line and the complete
     * header lines are still facts, so the message is reported with an empty, truncated body
     * rather than dropped. Nothing after the cut is guessed.
     */
    private void partialHead(long ts, long frame) {
        int lastNl = -1;
        for (int i = hdrLen - 1; i >= 0; i--) {
            if (hdr[i] == '\n') {
                lastNl = i;
                break;
            }
        }
        if (lastNl < 0) {
            return; // not even the start line
        }
        hdrLen = lastNl + 1;
        int lineEnd = 0;
        while (hdr[lineEnd] != '\n') {
            lineEnd++;
        }
        int le = lineEnd > 0 && hdr[lineEnd - 1] == '\r' ? lineEnd - 1 : lineEnd;
        String start = new String(hdr, 0, le, StandardCharsets.ISO_8859_1);
        List<Header> hs = new ArrayList<>();
        parseFields(lineEnd + 1, hs); // keeps the lines that parsed
        Headers h = new Headers(hs);
        Body cut = new Body(new byte[0], 0, 0, true, null, "message cut inside its header block");
        if (role == ROLE_REQUEST) {
            int sp1 = start.indexOf(' ');
            int sp2 = start.lastIndexOf(' ');
            if (sp1 <= 0 || sp2 <= sp1 || !start.startsWith("HTTP/", sp2 + 1)) {
                return;
            }
            String m = start.substring(0, sp1);
            everHttp = true;
            s.anyHttp = true;
            c.inc(Counters.C.HTTP_REQUESTS);
            Exchange x = s.newExchange(firstFrame, m);
            x.request = new HttpRequest(m, start.substring(sp1 + 1, sp2), start.substring(sp2 + 6), h, cut, firstTs,
                    ts, firstFrame, frame);
            x.requestDone = true;
            s.maybeEmit(x);
        } else if (role == ROLE_RESPONSE) {
            if (!start.startsWith("HTTP/") || start.length() < 12 || start.charAt(8) != ' ') {
                return;
            }
            int st;
            try {
                st = Integer.parseInt(start.substring(9, 12));
            } catch (NumberFormatException e) {
                return;
            }
            everHttp = true;
            s.anyHttp = true;
            if (st >= 100 && st < 200 && st != 101) {
                c.inc(Counters.C.HTTP_INTERIM);
                return;
            }
            Exchange x = s.pairResponse(firstFrame);
            c.inc(Counters.C.HTTP_RESPONSES);
            if (x == null) {
                c.inc(Counters.C.HTTP_ORPHAN_RESPONSES);
                return;
            }
            x.response = new HttpResponse(st, start.length() > 13 ? start.substring(13) : "", start.substring(5, 8), h,
                    cut, List.of(), firstTs, ts, ts, firstFrame, frame, false);
            x.responseDone = true;
            s.maybeEmit(x);
        }
    }

    private void becomeTls() {
        role = ROLE_TLS;
        state = S_DEAD;
        c.inc(Counters.C.STREAMS_TLS);
        s.sawTls = true;
    }

    private void parseError() {
        c.inc(Counters.C.HTTP_PARSE_ERRORS);
        if (state != S_HEAD && state != S_START && body != null) {
            body.damaged = true;
            messageDone(false, lastTs, lastFrame);
        }
        state = S_SKIP;
        hdrLen = 0;
    }

    /** Index of the LF that ends the header block (blank line) within [from, to), or -1. */
    private static int headEnd(byte[] a, int from, int to) {
        for (int k = Math.max(from, 1); k < to; k++) {
            if (a[k] == '\n' && (a[k - 1] == '\n' || (k >= 2 && a[k - 1] == '\r' && a[k - 2] == '\n'))) {
                return k;
            }
        }
        return -1;
    }

    private long chunkSize() {
        long v = 0;
        int digits = 0;
        for (int i = 0; i < hdrLen; i++) {
            byte x = hdr[i];
            int d;
            if (x >= '0' && x <= '9') {
                d = x - '0';
            } else if (x >= 'a' && x <= 'f') {
                d = x - 'a' + 10;
            } else if (x >= 'A' && x <= 'F') {
                d = x - 'A' + 10;
            } else if (x == ';' || x == '\r' || x == ' ' || x == '\t') {
                break; // chunk extensions are ignored
            } else {
                return -1;
            }
            if (++digits > 15) {
                return -1;
            }
            v = v * 16 + d;
        }
        return digits == 0 ? -1 : v;
    }

    /**
     * Like {@link Scan#headEnd}, and records where each line ends (relative to {@code from}) in the
     * worker's table, so the header lines are not searched a second time.
     */
    private int headEndRecordingLines(ByteBuffer b, int from, int to) {
        int[] ends = s.w.lineEnds;
        int n = 0;
        int k = from + 1;
        while (k < to) {
            k = Scan.indexOfLf(b, k, to);
            if (k < 0) {
                return -1;
            }
            if (n < ends.length) {
                ends[n] = k - from;
            }
            n++;
            byte p1 = b.get(k - 1);
            if (p1 == '\n' || (p1 == '\r' && k - 2 >= from && b.get(k - 2) == '\n')) {
                // a table that overflowed is not used: the lines are searched again
                lineEnds = n <= ends.length ? n : 0;
                return k;
            }
            k++;
        }
        return -1;
    }

    /** The stable buffer holding the header block being completed, and the block's index in it. */
    private ByteBuffer headSrc;
    private int headSrcOff;

    /** Entries of the worker's line-end table that describe {@link #hdr} (0: search for them). */
    private int lineEnds;
    private int lineIdx;

    /** Index of the LF ending the line that starts at p (searches unless the table knows it). */
    private int lineEnd(int p) {
        if (lineEnds > 0) {
            int[] ends = s.w.lineEnds;
            if (lineIdx > 0 && ends[lineIdx - 1] >= p) {
                lineIdx = 0; // a second walk over the block (folded lines): start over
            }
            // skip entries before p (none in the usual walk)
            while (lineIdx < lineEnds && ends[lineIdx] < p) {
                lineIdx++;
            }
            if (lineIdx < lineEnds) {
                return ends[lineIdx++];
            }
        }
        int e = p;
        while (e < hdrLen && hdr[e] != '\n') {
            e++;
        }
        return e;
    }

    private void headComplete(long ts, long frame) {
        lineIdx = 0;
        int lineEnd = lineEnd(0);
        int le = lineEnd > 0 && hdr[lineEnd - 1] == '\r' ? lineEnd - 1 : lineEnd;
        resetFraming();
        headers = null;
        Headers h;
        int count = checkFields(lineEnd + 1);
        if (count == -1) {
            parseError();
            return;
        }
        if (count >= 0) {
            // the usual case: the lines are only checked and their framing noted now; the Header
            // objects are built from a copy of the field lines when someone reads them
            h = new Headers(headSrc != null
                    ? new HeaderLines(headSrc, headSrcOff + lineEnd + 1, hdrLen - lineEnd - 1, count)
                    : new HeaderLines(Arrays.copyOfRange(hdr, lineEnd + 1, hdrLen), count));
        } else {
            // folded lines (obsolete syntax): parse them now, and take the framing from the
            // final values, as RFC 9112 §5.2 reads them
            List<Header> fields = s.w.fieldScratch;
            fields.clear();
            if (!parseFields(lineEnd + 1, fields)) {
                fields.clear();
                parseError();
                return;
            }
            h = new Headers(fields);
            fields.clear();
            framingFrom(h);
        }
        currentHeaders = h;
        if (role == ROLE_REQUEST) {
            // "METHOD SP target SP HTTP/version": first and last space of the line
            int sp1 = indexOf(hdr, 0, le, (byte) ' ');
            int sp2 = lastIndexOf(hdr, 0, le, (byte) ' ');
            if (sp1 <= 0 || sp2 <= sp1 || !startsWithHttp(hdr, sp2 + 1, le)) {
                parseError();
                return;
            }
            method = method(hdr, sp1);
            target = s.w.strings.get(hdr, sp1 + 1, sp2);
            version = version(hdr, sp2 + 6, le);
            long len = framing(false);
            if (len == -2) {
                parseError();
                return;
            }
            everHttp = true;
            s.anyHttp = true;
            c.inc(Counters.C.HTTP_REQUESTS);
            exchange = s.newExchange(firstFrame, method);
            startBody(h, len, false);
        } else {
            if (!startsWithHttp(hdr, 0, le) || le < 12 || hdr[8] != ' ') {
                parseError();
                return;
            }
            version = version(hdr, 5, 8);
            int st = status(hdr);
            if (st == Integer.MIN_VALUE) {
                parseError();
                return;
            }
            status = st;
            reason = le > 13 ? s.w.strings.get(hdr, 13, le) : "";
            everHttp = true;
            s.anyHttp = true;
            if (status >= 100 && status < 200 && status != 101) {
                c.inc(Counters.C.HTTP_INTERIM);
                state = S_START;
                return;
            }
            exchange = s.pairResponse(firstFrame);
            String reqMethod = exchange == null ? null : exchange.method;
            if (exchange == null) {
                exchange = s.holdResponse(firstFrame); // counts the orphan when it cannot be held
            }
            boolean noBodyByRule = status == 101 || status == 204 || status == 304 || "HEAD".equals(reqMethod)
                    || ("CONNECT".equals(reqMethod) && status / 100 == 2);
            long len = noBodyByRule ? 0 : framing(true);
            if (len == -2) {
                parseError();
                return;
            }
            startBody(h, len, true);
            if (status == 101) {
                s.protocolSwitched();
            }
        }
    }

    private static int indexOf(byte[] a, int from, int to, byte x) {
        for (int i = from; i < to; i++) {
            if (a[i] == x) {
                return i;
            }
        }
        return -1;
    }

    private static int lastIndexOf(byte[] a, int from, int to, byte x) {
        for (int i = to - 1; i >= from; i--) {
            if (a[i] == x) {
                return i;
            }
        }
        return -1;
    }

    private static boolean startsWithHttp(byte[] a, int p, int to) {
        return to - p >= 5 && a[p] == 'H' && a[p + 1] == 'T' && a[p + 2] == 'T' && a[p + 3] == 'P' && a[p + 4] == '/';
    }

    private String method(byte[] a, int n) {
        // the usual methods as constants: no String per request
        if (n == 4 && a[0] == 'P' && a[1] == 'O' && a[2] == 'S' && a[3] == 'T') {
            return "POST";
        }
        if (n == 3 && a[0] == 'G' && a[1] == 'E' && a[2] == 'T') {
            return "GET";
        }
        return s.w.strings.get(a, 0, n);
    }

    private String version(byte[] a, int from, int to) {
        if (to - from == 3 && a[from] == '1' && a[from + 1] == '.') {
            if (a[from + 2] == '1') {
                return "1.1";
            }
            if (a[from + 2] == '0') {
                return "1.0";
            }
        }
        return s.w.strings.get(a, from, to);
    }

    /** The three characters after "HTTP/x.y " as Integer.parseInt reads them, or MIN_VALUE. */
    private static int status(byte[] a) {
        int d0 = a[9] - '0', d1 = a[10] - '0', d2 = a[11] - '0';
        if (d0 >= 0 && d0 <= 9 && d1 >= 0 && d1 <= 9 && d2 >= 0 && d2 <= 9) {
            return d0 * 100 + d1 * 10 + d2;
        }
        try {
            return Integer.parseInt(new String(a, 9, 3, StandardCharsets.ISO_8859_1));
        } catch (NumberFormatException e) {
            return Integer.MIN_VALUE;
        }
    }

    /**
     * Checks the header lines from {@code from} to the blank line as {@link #parseFields} would
     * accept them and notes the framing headers, without building anything. Returns the number of
     * fields, -1 if malformed, -2 if a line is folded (then the caller parses them eagerly).
     */
    private int checkFields(int from) {
        int p = from;
        int n = 0;
        while (p < hdrLen) {
            int e = lineEnd(p);
            int le = e > p && hdr[e - 1] == '\r' ? e - 1 : e;
            if (le == p) {
                break; // blank line: end of the block
            }
            if (hdr[p] == ' ' || hdr[p] == '\t') {
                return n == 0 ? -1 : -2;
            }
            int colon = -1;
            for (int i = p; i < le; i++) {
                if (hdr[i] == ':') {
                    colon = i;
                    break;
                }
            }
            if (colon <= p) {
                return -1;
            }
            if (++n > MAX_HEADERS) {
                return -1;
            }
            int ns = p;
            int ne = colon;
            while (ns < ne && (hdr[ns] & 0xFF) <= ' ') {
                ns++;
            }
            while (ne > ns && (hdr[ne - 1] & 0xFF) <= ' ') {
                ne--;
            }
            int nl = ne - ns;
            if (nl == 14 || nl == 17 || nl == 12 || nl == 16) {
                int vs = colon + 1;
                while (vs < le && (hdr[vs] == ' ' || hdr[vs] == '\t')) {
                    vs++;
                }
                int ve = le;
                while (ve > vs && (hdr[ve - 1] == ' ' || hdr[ve - 1] == '\t')) {
                    ve--;
                }
                framingField(hdr, ns, ne, vs, ve, null);
            }
            p = e + 1;
        }
        return n;
    }

    /** Framing from finished headers (the path for folded lines): first TE/CT/CE, every CL. */
    private void framingFrom(Headers h) {
        resetFraming();
        String te = h.get("Transfer-Encoding");
        chunked = te != null && te.toLowerCase(java.util.Locale.ROOT).contains("chunked");
        String ct = h.get("Content-Type");
        eventStream = ct != null && ct.toLowerCase(java.util.Locale.ROOT).contains("text/event-stream");
        contentEncoding = h.get("Content-Encoding");
        for (String cl : h.getAll("Content-Length")) {
            contentLength(cl);
        }
    }

    /**
     * The fields of one header block, parsed on first access from a copy of its lines (already
     * checked: every line has a name and a colon, none is folded). Same rules as
     * {@link #parseFields}; thread-safe, no shared caches.
     */
    static final class HeaderLines extends heron.core.model.DeferredList<Header> {
        private byte[] lines;
        /** Until first access, when the block is in a stable buffer: where the lines are. */
        private ByteBuffer src;
        private final int srcOff, srcLen;

        HeaderLines(byte[] lines, int count) {
            super(count);
            this.lines = lines;
            this.srcOff = 0;
            this.srcLen = 0;
        }

        /** The field lines are src[off, off+len) of a buffer that stays valid and unchanged. */
        HeaderLines(ByteBuffer src, int off, int len, int count) {
            super(count);
            this.src = src;
            this.srcOff = off;
            this.srcLen = len;
        }

        /** The lines as an array: copied from the buffer once, which is then let go. */
        private synchronized byte[] lines() {
            if (lines == null) {
                byte[] a = new byte[srcLen];
                src.get(srcOff, a, 0, srcLen); // absolute: the shared buffer's position is never touched
                lines = a;
                src = null;
            }
            return lines;
        }

        @Override
        protected List<Header> produce() {
            byte[] a = lines();
            Header[] out = new Header[size()];
            int n = 0;
            int p = 0;
            while (p < a.length && n < out.length) {
                int e = p;
                while (e < a.length && a[e] != '\n') {
                    e++;
                }
                int le = e > p && a[e - 1] == '\r' ? e - 1 : e;
                if (le == p) {
                    break;
                }
                int colon = p;
                while (a[colon] != ':') {
                    colon++;
                }
                int ns = nameStart(a, p, colon);
                int ne = nameEnd(a, ns, colon);
                int vs = valueStart(a, colon + 1, le);
                int ve = valueEnd(a, vs, le);
                out[n++] = new Header(new String(a, ns, ne - ns, StandardCharsets.ISO_8859_1),
                        new String(a, vs, ve - vs, StandardCharsets.ISO_8859_1));
                p = e + 1;
            }
            return Arrays.asList(out);
        }
    }

    // framing facts gathered while the header lines are parsed (no look-ups afterwards)
    private boolean chunked;
    private boolean sawTe;
    private boolean eventStream;
    private boolean sawCt;
    private String contentEncoding;
    private boolean sawCe;
    /** Content-Length: -1 none, -2 invalid or conflicting, else the value. */
    private long contentLength;

    private void resetFraming() {
        chunked = false;
        sawTe = false;
        eventStream = false;
        sawCt = false;
        contentEncoding = null;
        sawCe = false;
        contentLength = -1;
    }

    /** Body length: >=0 fixed, -1 close-delimited, -3 chunked, -2 invalid. */
    private long framing(boolean response) {
        if (chunked) {
            return -3;
        }
        if (contentLength != -1) {
            return contentLength;
        }
        return response ? -1 : 0;
    }

    /** Notes what a header line means for framing (first Transfer-Encoding/Content-Type/Content-Encoding). */
    private void framingField(byte[] a, int name, int nameEnd, int vs, int ve, String value) {
        int n = nameEnd - name;
        if (n == 14 && equalsLower(a, name, "content-length")) {
            long v = digits(a, vs, ve);
            if (v >= 0 && (contentLength == -1 || contentLength == v)) {
                contentLength = v; // the usual single decimal value
            } else {
                contentLength(value != null ? value : new String(a, vs, ve - vs, StandardCharsets.ISO_8859_1));
            }
        } else if (n == 17 && !sawTe && equalsLower(a, name, "transfer-encoding")) {
            sawTe = true;
            chunked = containsLower(a, vs, ve, "chunked");
        } else if (n == 12 && !sawCt && equalsLower(a, name, "content-type")) {
            sawCt = true;
            eventStream = containsLower(a, vs, ve, "text/event-stream");
        } else if (n == 16 && !sawCe && equalsLower(a, name, "content-encoding")) {
            sawCe = true;
            contentEncoding = value != null ? value : new String(a, vs, ve - vs, StandardCharsets.ISO_8859_1);
        }
    }

    /** One Content-Length line: a comma list of equal values (RFC 9110 §8.6); anything else is invalid. */
    private void contentLength(String cl) {
        if (contentLength == -2) {
            return;
        }
        long v = contentLength;
        for (String part : cl.split(",")) {
            long x;
            try {
                x = Long.parseLong(part.trim());
            } catch (NumberFormatException e) {
                contentLength = -2;
                return;
            }
            if (x < 0 || (v >= 0 && v != x)) {
                contentLength = -2;
                return;
            }
            v = x;
        }
        contentLength = v;
    }

    /** The decimal number a[from, to) (1 to 18 digits, nothing else), or -1. */
    private static long digits(byte[] a, int from, int to) {
        if (to <= from || to - from > 18) {
            return -1;
        }
        long v = 0;
        for (int i = from; i < to; i++) {
            int d = a[i] - '0';
            if (d < 0 || d > 9) {
                return -1;
            }
            v = v * 10 + d;
        }
        return v;
    }

    /** a[p, p+lower.length()) equals {@code lower} ignoring ASCII case. */
    private static boolean equalsLower(byte[] a, int p, String lower) {
        for (int i = 0; i < lower.length(); i++) {
            int x = a[p + i];
            if (x >= 'A' && x <= 'Z') {
                x += 32;
            }
            if (x != lower.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static boolean containsLower(byte[] a, int from, int to, String lower) {
        for (int i = from; i + lower.length() <= to; i++) {
            if (equalsLower(a, i, lower)) {
                return true;
            }
        }
        return false;
    }

    private void startBody(Headers h, long len, boolean response) {
        boolean sse = response && eventStream;
        BodyCollector spare = spareBody;
        spareBody = null;
        body = spare != null ? spare.restart(s.options.bodyCap(), s.options.decompressLimit(), contentEncoding, sse, len)
                : new BodyCollector(s.options.bodyCap(), s.options.decompressLimit(), contentEncoding, sse, len, c);
        noBody = len == 0;
        if (len == 0) {
            messageDone(true, headTs, headFrame);
        } else if (len > 0) {
            remaining = len;
            state = S_BODY_LEN;
        } else if (len == -3) {
            state = S_CHUNK_SIZE;
            hdrLen = 0;
        } else {
            state = S_BODY_CLOSE;
        }
    }

    private void messageDone(boolean complete, long ts, long frame) {
        Body bd = body == null ? Body.EMPTY : body.finish(!complete, ts, frame);
        long lastT = noBody ? headTs : ts;
        long lastF = noBody ? headFrame : frame;
        // headers holds the list only when trailers added fields
        Headers h = headers != null ? new Headers(headers) : currentHeaders != null ? currentHeaders : Headers.EMPTY;
        currentHeaders = null;
        if (role == ROLE_REQUEST) {
            if (exchange != null) {
                exchange.request = new HttpRequest(method, target, version, h, bd, firstTs, lastT, firstFrame, lastF);
                exchange.requestDone = true;
                s.maybeEmit(exchange);
            }
        } else {
            List<SseEvent> events = body != null ? body.events(bd) : List.of();
            c.add(Counters.C.HTTP_SSE_EVENTS, events.size());
            c.inc(Counters.C.HTTP_RESPONSES);
            if (exchange != null) {
                HttpResponse r = new HttpResponse(status, reason, version, h, bd, events, firstTs, headTs, lastT,
                        firstFrame, lastF, complete);
                if (exchange.isPlaceholder()) {
                    s.heldResponseDone(exchange, r);
                } else {
                    exchange.response = r;
                    exchange.responseDone = true;
                    s.maybeEmit(exchange);
                }
            }
        }
        exchange = null;
        if (body != null) {
            spareBody = body; // finished: the next message of this direction reuses it
        }
        body = null;
        headers = null;
        noBody = false;
        if (state != S_DEAD) {
            state = S_START;
        }
    }

    /**
     * Parses "name: value" lines from {@code from} up to the blank line; false if malformed.
     * Also notes the framing headers (see {@link #framingField}).
     */
    private boolean parseFields(int from, List<Header> out) {
        StringCache strings = s.w.strings;
        HeaderCache lines = s.w.headerLines;
        int p = from;
        while (p < hdrLen) {
            int e = lineEnd(p);
            int le = e > p && hdr[e - 1] == '\r' ? e - 1 : e;
            if (le == p) {
                break; // blank line: end of the block
            }
            Header known = le - p <= HeaderCache.MAX_LINE ? lines.get(hdr, p, le) : null;
            if (known != null) {
                out.add(known);
                framingField(hdr, p + lines.bound(0), p + lines.bound(1), p + lines.bound(2), p + lines.bound(3),
                        known.value());
                if (out.size() > MAX_HEADERS) {
                    return false;
                }
            } else if (hdr[p] == ' ' || hdr[p] == '\t') {
                // obsolete line folding: continuation of the previous value
                if (out.isEmpty()) {
                    return false;
                }
                Header last = out.remove(out.size() - 1);
                out.add(new Header(last.name(),
                        last.value() + " " + new String(hdr, p, le - p, StandardCharsets.ISO_8859_1).trim()));
            } else {
                int colon = -1;
                for (int i = p; i < le; i++) {
                    if (hdr[i] == ':') {
                        colon = i;
                        break;
                    }
                }
                if (colon <= p) {
                    return false;
                }
                int ns = nameStart(hdr, p, colon);
                int ne = nameEnd(hdr, ns, colon);
                int vs = valueStart(hdr, colon + 1, le);
                int ve = valueEnd(hdr, vs, le);
                String value = strings.get(hdr, vs, ve);
                Header h = new Header(strings.get(hdr, ns, ne), value);
                out.add(h);
                if (le - p <= HeaderCache.MAX_LINE) {
                    lines.put(hdr, p, le, h, ns, ne, vs, ve);
                }
                framingField(hdr, ns, ne, vs, ve, value);
                if (out.size() > MAX_HEADERS) {
                    return false;
                }
            }
            p = e + 1;
        }
        return true;
    }

    // One trimming rule for header fields, used when a line is parsed and when deferred fields are
    // built: the name as String.trim() would leave it (control characters and spaces), the value
    // without the optional whitespace (SP / HTAB) around it (RFC 9110, 5.5). Tiny: the JIT inlines them.
    static int nameStart(byte[] a, int from, int colon) {
        int i = from;
        while (i < colon && (a[i] & 0xFF) <= ' ') {
            i++;
        }
        return i;
    }

    static int nameEnd(byte[] a, int nameStart, int colon) {
        int i = colon;
        while (i > nameStart && (a[i - 1] & 0xFF) <= ' ') {
            i--;
        }
        return i;
    }

    static int valueStart(byte[] a, int from, int lineEnd) {
        int i = from;
        while (i < lineEnd && (a[i] == ' ' || a[i] == '\t')) {
            i++;
        }
        return i;
    }

    static int valueEnd(byte[] a, int valueStart, int lineEnd) {
        int i = lineEnd;
        while (i > valueStart && (a[i - 1] == ' ' || a[i - 1] == '\t')) {
            i--;
        }
        return i;
    }

    private boolean looksLikeStart(ByteBuffer b, int p, int end) {
        return role == ROLE_REQUEST ? isRequestStart(b, p, end) : role == ROLE_RESPONSE && isResponseStart(b, p, end);
    }

    private static final byte[][] METHODS = { "GET ".getBytes(), "POST ".getBytes(), "PUT ".getBytes(),
            "DELETE ".getBytes(), "PATCH ".getBytes(), "HEAD ".getBytes(), "OPTIONS ".getBytes(),
            "CONNECT ".getBytes(), "TRACE ".getBytes(), "PROPFIND ".getBytes(), "PROPPATCH ".getBytes(),
            "MKCOL ".getBytes(), "COPY ".getBytes(), "MOVE ".getBytes(), "LOCK ".getBytes(), "UNLOCK ".getBytes(),
            "REPORT ".getBytes(), "SEARCH ".getBytes(), "PURGE ".getBytes(), "QUERY ".getBytes() };

    /**
     * A known method token followed by a space; a segment shorter than that must be a prefix of
     * one. Only known methods count, so body bytes never pass for a message start.
     */
    static boolean isRequestStart(ByteBuffer b, int p, int end) {
        int avail = end - p;
        if (avail <= 0) {
            return false;
        }
        outer:
        for (byte[] m : METHODS) {
            int n = Math.min(m.length, avail);
            for (int i = 0; i < n; i++) {
                if (b.get(p + i) != m[i]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private static final byte[] HTTP_1 = { 'H', 'T', 'T', 'P', '/', '1', '.' };

    static boolean isResponseStart(ByteBuffer b, int p, int end) {
        int n = Math.min(HTTP_1.length, end - p);
        for (int i = 0; i < n; i++) {
            if (b.get(p + i) != HTTP_1[i]) {
                return false;
            }
        }
        return n > 0;
    }

    /** A TLS record header: content type 20..23, version 3.x. */
    static boolean looksTls(ByteBuffer b, int p, int end) {
        if (end - p < 3) {
            return false;
        }
        int t = b.get(p) & 0xFF;
        return t >= 20 && t <= 23 && b.get(p + 1) == 3 && (b.get(p + 2) & 0xFF) <= 4;
    }
}
