package heron.decoders.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * Decoder for AWS's binary {@code application/vnd.amazon.eventstream} framing (Bedrock
 * invoke-with-response-stream). Each message: total length (4, big-endian), headers length (4),
 * prelude CRC32 over those 8 bytes (4), headers, payload, message CRC32 over everything before
 * it (4). A header is name length (1), name, value type (1), value; type 7 (string) and 6 (bytes)
 * carry a 2-byte length. Decoding stops at the first frame that is cut or fails its CRC.
 */
public final class AwsEventStream {
    private AwsEventStream() {
    }

    public record Frame(Map<String, String> headers, byte[] payload) {
        public String header(String name) {
            return headers.get(name);
        }
    }

    /** The frames, and why decoding stopped before the end of the bytes (null if it did not). */
    public record Result(List<Frame> frames, String error) {
    }

    public static Result decode(byte[] bytes) {
        List<Frame> frames = new ArrayList<>();
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        while (buf.remaining() > 0) {
            int start = buf.position();
            if (buf.remaining() < 16) {
                return new Result(frames, "truncated event-stream frame");
            }
            int total = buf.getInt(start);
            int headersLen = buf.getInt(start + 4);
            long preludeCrc = buf.getInt(start + 8) & 0xFFFFFFFFL;
            CRC32 crc = new CRC32();
            crc.update(bytes, start, 8);
            if (crc.getValue() != preludeCrc) {
                return new Result(frames, "event-stream prelude CRC mismatch");
            }
            if (total < 16 || headersLen < 0 || headersLen > total - 16) {
                return new Result(frames, "event-stream frame length invalid");
            }
            if (buf.remaining() < total) {
                return new Result(frames, "truncated event-stream frame");
            }
            crc.reset();
            crc.update(bytes, start, total - 4);
            long messageCrc = buf.getInt(start + total - 4) & 0xFFFFFFFFL;
            if (crc.getValue() != messageCrc) {
                return new Result(frames, "event-stream message CRC mismatch");
            }
            Map<String, String> headers = new HashMap<>();
            int p = start + 12;
            int headersEnd = p + headersLen;
            try {
                while (p < headersEnd) {
                    int nameLen = bytes[p++] & 0xFF;
                    String name = new String(bytes, p, nameLen, StandardCharsets.UTF_8);
                    p += nameLen;
                    int type = bytes[p++] & 0xFF;
                    String value;
                    switch (type) {
                    case 0 -> value = "true";
                    case 1 -> value = "false";
                    case 2 -> value = Byte.toString(bytes[p++]);
                    case 3 -> {
                        value = Short.toString(buf.getShort(p));
                        p += 2;
                    }
                    case 4 -> {
                        value = Integer.toString(buf.getInt(p));
                        p += 4;
                    }
                    case 5, 8 -> {
                        value = Long.toString(buf.getLong(p));
                        p += 8;
                    }
                    case 6, 7 -> {
                        int len = buf.getShort(p) & 0xFFFF;
                        p += 2;
                        value = new String(bytes, p, len, StandardCharsets.UTF_8);
                        p += len;
                    }
                    case 9 -> {
                        value = Long.toHexString(buf.getLong(p)) + Long.toHexString(buf.getLong(p + 8));
                        p += 16;
                    }
                    default -> throw new IllegalArgumentException("header value type " + type);
                    }
                    headers.put(name, value);
                }
            } catch (RuntimeException e) {
                return new Result(frames, "event-stream header invalid");
            }
            byte[] payload = new byte[total - 16 - headersLen];
            System.arraycopy(bytes, headersEnd, payload, 0, payload.length);
            frames.add(new Frame(headers, payload));
            buf.position(start + total);
        }
        return new Result(frames, null);
    }
}
