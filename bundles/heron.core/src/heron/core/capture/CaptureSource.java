package heron.core.capture;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * A file format Heron can read packets from, contributed through the extension point
 * {@code heron.core.captureSources}. Implementations must be thread-safe factories: every
 * {@link #open(Path)} returns an independent stream.
 */
public interface CaptureSource {

    /**
     * Whether this source reads a file that starts with these bytes (its magic number). The
     * buffer holds at least the first 64 bytes of the file, or the whole file if shorter.
     */
    boolean accepts(ByteBuffer head);

    /**
     * Opens the file. Throws only when it cannot be read at all (missing, unreadable, not this
     * format); later damage is reported through {@link PacketStream#damage()}.
     */
    PacketStream open(Path file) throws IOException;
}
