package heron.store.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The file handling the capture side files ({@link BlobFile}, {@link FrameIndexFile}) share:
 * they are written sequentially through one buffer and read with positional reads, which a
 * channel may answer in parts.
 */
final class SideFiles {
    private SideFiles() {
    }

    /** Creates (truncating) a side file for writing, with its folder. */
    static FileChannel create(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        return FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE);
    }

    /** Writes what {@code b} holds between its position and limit. */
    static void writeFully(FileChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    /** Writes what was put into the write buffer {@code buf}, leaving it empty for more. */
    static void drain(FileChannel ch, ByteBuffer buf) throws IOException {
        buf.flip();
        writeFully(ch, buf);
        buf.clear();
    }

    /**
     * Fills {@code b} from {@code pos}; the file ending first is an error ({@code what} names the
     * file in its message).
     */
    static void readFully(FileChannel ch, ByteBuffer b, long pos, String what) throws IOException {
        while (b.hasRemaining()) {
            int r = ch.read(b, pos);
            if (r < 0) {
                throw new IOException(what + " ends early at " + pos);
            }
            pos += r;
        }
    }
}
