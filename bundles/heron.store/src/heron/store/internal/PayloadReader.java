package heron.store.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.ResultSet;
import java.sql.SQLException;

import heron.store.StoreException;

/** Reads values of one capture's payload side file for the rows of a query; opened lazily. */
public final class PayloadReader implements AutoCloseable {
    private final Path file;
    private FileChannel ch;
    private boolean missing;

    public PayloadReader(Path storeDir, long captureId) {
        this.file = BlobFile.path(storeDir, captureId);
    }

    /** The value the row points to with {@code <prefix>_off/_len}, or null when there is none. */
    public byte[] read(ResultSet rs, String prefix) throws SQLException {
        long off = rs.getLong(prefix + "_off");
        if (rs.wasNull()) {
            return null;
        }
        int len = rs.getInt(prefix + "_len");
        try {
            if (ch == null && !missing) {
                try {
                    ch = FileChannel.open(file, StandardOpenOption.READ);
                } catch (NoSuchFileException e) {
                    missing = true;
                }
            }
            if (missing) {
                throw new StoreException("payload file missing: " + file);
            }
            return BlobFile.read(ch, off, len);
        } catch (IOException e) {
            throw new StoreException("cannot read " + file + " at " + off, e);
        }
    }

    @Override
    public void close() {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // read-only
            }
        }
    }
}
