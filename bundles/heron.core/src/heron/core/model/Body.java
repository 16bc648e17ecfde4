package heron.core.model;

import java.nio.charset.StandardCharsets;

/**
 * A message body after transfer decoding (chunked) and content decoding (gzip/deflate).
 * <p>
 * A body is either backed by an array ({@code bytes}) or {@linkplain #deferred() deferred}: then
 * the bytes stay where the capture reader found them (e.g. slices of a memory-mapped capture file)
 * and are copied into one array on the first call of {@link #bytes()} or {@link #text()}, once.
 * Callers see no difference; {@link #length()} and {@link #isEmpty()} never copy.
 *
 * @param bytes          the decoded bytes kept, at most the body cap (null in the record
 *                       component of a deferred body: use the {@link #bytes()} accessor)
 * @param wireLength     bytes of the body on the wire (after de-chunking, before decompression)
 * @param decodedLength  bytes after decompression (what the body would be without the cap)
 * @param truncated      true when {@code bytes} is shorter than {@code decodedLength} (health
 *                       counter {@code body.capped}) or the message ended early
 * @param encoding       the Content-Encoding that was removed, or null
 * @param decodeError    why content decoding failed or was refused, or null
 * @param deferred       the source of a deferred body, or null when {@code bytes} holds the body
 */
public record Body(byte[] bytes, long wireLength, long decodedLength, boolean truncated, String encoding,
        String decodeError, Deferred deferred) {

    public static final Body EMPTY = new Body(new byte[0], 0, 0, false, null, null);

    /** A body backed by an array (the usual constructor). */
    public Body(byte[] bytes, long wireLength, long decodedLength, boolean truncated, String encoding,
            String decodeError) {
        this(bytes, wireLength, decodedLength, truncated, encoding, decodeError, null);
    }

    /** A body whose bytes are produced on first use by {@code source}. */
    public static Body deferred(Deferred source, long wireLength, long decodedLength, boolean truncated,
            String encoding, String decodeError) {
        return new Body(null, wireLength, decodedLength, truncated, encoding, decodeError, source);
    }

    /** The decoded bytes kept (for a deferred body: copied into an array on the first call, once). */
    @Override
    public byte[] bytes() {
        return deferred == null ? bytes : deferred.bytes();
    }

    public boolean isEmpty() {
        return length() == 0;
    }

    public int length() {
        return deferred == null ? bytes.length : deferred.length();
    }

    public String text() {
        return new String(bytes(), StandardCharsets.UTF_8);
    }

    /**
     * Bytes that exist somewhere else (a mapped capture file, a shared buffer) and are copied into
     * an array only when asked for. Thread-safe: {@link #bytes()} may be called from any thread;
     * the copy is made once, then {@link #release()} lets the source go.
     */
    public abstract static class Deferred {
        private final int length;
        private volatile byte[] value;

        protected Deferred(int length) {
            this.length = length;
        }

        public final int length() {
            return length;
        }

        public final byte[] bytes() {
            byte[] v = value;
            if (v == null) {
                synchronized (this) {
                    v = value;
                    if (v == null) {
                        v = produce();
                        if (v.length != length) {
                            throw new IllegalStateException(
                                    "deferred body produced " + v.length + " bytes, not " + length);
                        }
                        value = v;
                        release();
                    }
                }
            }
            return v;
        }

        /** Copies the bytes into a new array of exactly {@link #length()} bytes (called once). */
        protected abstract byte[] produce();

        /** Called once after {@link #produce()}: drop references to the source (e.g. a file mapping). */
        protected void release() {
        }

        @Override
        public String toString() {
            return "Deferred[" + length + " bytes" + (value == null ? "" : ", copied") + "]";
        }
    }
}
