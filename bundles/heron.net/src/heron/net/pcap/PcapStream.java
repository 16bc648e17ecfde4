package heron.net.pcap;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;

/**
 * Classic libpcap file reader: both byte orders, microsecond and nanosecond magic. A record whose
 * header is implausible is treated as damage: the reader scans forward for the next plausible
 * record (two consecutive consistent headers) and records the skipped bytes.
 */
final class PcapStream extends AbstractFileStream {
    static final int MAGIC_US = 0xa1b2c3d4;
    static final int MAGIC_NS = 0xa1b23c4d;
    private static final long DAY_NANOS = 86_400L * 1_000_000_000L;

    private final boolean nanos;
    private final int snaplen;
    private final int fileLinkType;
    private final int recordLimit;
    private long lastTs = Long.MIN_VALUE;
    private boolean ended;

    PcapStream(Path path) throws IOException {
        this(path, new MappedWindow(path));
    }

    /** Tests: with the given windows (see {@link MappedWindow}). */
    PcapStream(Path path, MappedWindow windows) throws IOException {
        super(windows);
        if (file.size < 24) {
            close();
            throw new IOException(path.getFileName() + ": pcap file header is cut short (" + file.size + " bytes)");
        }
        ByteBuffer b = file.ensure(0, 24);
        int m = b.getInt(0);
        ByteOrder bo;
        if (m == MAGIC_US || m == MAGIC_NS) {
            bo = ByteOrder.LITTLE_ENDIAN;
        } else if (Integer.reverseBytes(m) == MAGIC_US || Integer.reverseBytes(m) == MAGIC_NS) {
            bo = ByteOrder.BIG_ENDIAN;
        } else {
            close();
            throw new IOException(path.getFileName() + ": not a pcap file (bad magic)");
        }
        // the buffer was mapped little-endian; decide from the raw bytes
        file.order(bo);
        b = file.ensure(0, 24);
        int magic = b.getInt(0);
        nanos = magic == MAGIC_NS;
        snaplen = b.getInt(16);
        fileLinkType = b.getInt(20) & 0xFFFF;
        linkType = fileLinkType;
        recordLimit = (int) Math.min(MAX_RECORD, Math.max(262_144L, snaplen & 0xFFFFFFFFL));
        pos = 24;
    }

    @Override
    public String format() {
        return nanos ? "pcap-ns" : "pcap";
    }

    @Override
    public boolean next() throws IOException {
        while (!ended) {
            if (pos + 16 > file.size) {
                if (pos < file.size) {
                    damage.record(pos, file.size - pos, "record header cut short at end of file");
                    pos = file.size;
                }
                ended = true;
                return false;
            }
            ByteBuffer b = file.ensure(pos, 16);
            int i = (int) (pos - file.base());
            long sec = b.getInt(i) & 0xFFFFFFFFL;
            long frac = b.getInt(i + 4) & 0xFFFFFFFFL;
            long incl = b.getInt(i + 8) & 0xFFFFFFFFL;
            long orig = b.getInt(i + 12) & 0xFFFFFFFFL;
            if (!plausible(frac, incl, orig)) {
                resync("implausible record header (length " + incl + ")");
                continue;
            }
            if (pos + 16 + incl > file.size) {
                damage.record(pos, file.size - pos, "last record cut short (file truncated)");
                pos = file.size;
                ended = true;
                return false;
            }
            long ts = sec * 1_000_000_000L + (nanos ? frac : frac * 1000);
            capLen = (int) incl;
            origLen = (int) Math.max(orig, incl);
            tsNanos = ts;
            lastTs = ts;
            setData(pos + 16);
            pos += 16 + incl;
            frame++;
            return true;
        }
        return false;
    }

    private boolean plausible(long frac, long incl, long orig) {
        return frac < (nanos ? 1_000_000_000L : 1_000_000L) && incl <= recordLimit && orig <= MAX_RECORD * 4L;
    }

    private boolean plausibleAt(long at) throws IOException {
        if (at + 16 > file.size) {
            return false;
        }
        ByteBuffer b = file.ensure(at, 16);
        int i = (int) (at - file.base());
        long sec = b.getInt(i) & 0xFFFFFFFFL;
        long frac = b.getInt(i + 4) & 0xFFFFFFFFL;
        long incl = b.getInt(i + 8) & 0xFFFFFFFFL;
        long orig = b.getInt(i + 12) & 0xFFFFFFFFL;
        if (!plausible(frac, incl, orig) || incl > orig || at + 16 + incl > file.size) {
            return false;
        }
        if (lastTs != Long.MIN_VALUE) {
            long ts = sec * 1_000_000_000L;
            if (Math.abs(ts - lastTs) > DAY_NANOS) {
                return false;
            }
        }
        return true;
    }

    /** Scans forward for two consecutive plausible records (or one that ends exactly at EOF). */
    private void resync(String reason) throws IOException {
        long start = pos;
        for (long at = pos + 1; at + 16 <= file.size; at++) {
            if (plausibleAt(at)) {
                ByteBuffer b = file.ensure(at, 16);
                long incl = b.getInt((int) (at - file.base()) + 8) & 0xFFFFFFFFL;
                long nextAt = at + 16 + incl;
                if (nextAt == file.size || plausibleAt(nextAt)) {
                    damage.record(start, at - start, reason);
                    pos = at;
                    return;
                }
            }
        }
        damage.record(start, file.size - start, reason + "; no further record found");
        pos = file.size;
        ended = true;
    }
}
