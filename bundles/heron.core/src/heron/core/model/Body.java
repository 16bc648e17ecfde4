package heron.core.model;

import java.nio.charset.StandardCharsets;

/**
 * A message body after transfer decoding (chunked) and content decoding (gzip/deflate).
 *
 * @param bytes          the decoded bytes kept, at most the body cap
 * @param wireLength     bytes of the body on the wire (after de-chunking, before decompression)
 * @param decodedLength  bytes after decompression (what the body would be without the cap)
 * @param truncated      true when {@code bytes} is shorter than {@code decodedLength} (health
 *                       counter {@code body.capped}) or the message ended early
 * @param encoding       the Content-Encoding that was removed, or null
 * @param decodeError    why content decoding failed or was refused, or null
 */
public record Body(byte[] bytes, long wireLength, long decodedLength, boolean truncated, String encoding,
        String decodeError) {

    public static final Body EMPTY = new Body(new byte[0], 0, 0, false, null, null);

    public boolean isEmpty() {
        return bytes.length == 0;
    }

    public int length() {
        return bytes.length;
    }

    public String text() {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
