package heron.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The identity of a capture file: its SHA-256, which the store records at import, checks before
 * reading payloads back from the file (ADR 0006) and when a moved file is located again. One
 * implementation for the import, the store and the views.
 */
public final class CaptureFiles {
    private CaptureFiles() {
    }

    /**
     * SHA-256 of the file's bytes, as lowercase hex. Once C2 has compiled the digest loop (an
     * intrinsic using the CPU's SHA instructions) 1 GB takes 1.3–1.7 s on the reference machine.
     */
    public static String sha256(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20);
            while (ch.read(buf) > 0) {
                buf.flip();
                md.update(buf);
                buf.clear();
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256", e);
        }
    }
}
