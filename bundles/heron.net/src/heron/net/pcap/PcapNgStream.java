package heron.net.pcap;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * pcapng reader: sections (SHB) in either byte order, several interfaces (IDB) each with its own
 * link type, snaplen, if_tsresol and if_tsoffset, Enhanced, Simple and obsolete Packet Blocks.
 * Other block types are skipped as the format requires. A block whose length is inconsistent is
 * damage: the reader scans forward (4-byte aligned) for the next well-formed block.
 */
final class PcapNgStream extends AbstractFileStream {
    static final int SHB = 0x0A0D0D0A;
    static final int BYTE_ORDER_MAGIC = 0x1A2B3C4D;
    private static final int IDB = 1, OPB = 2, SPB = 3, NRB = 4, ISB = 5, EPB = 6, DSB = 10;

    private record Iface(int linkType, long snaplen, long unitsPerSecond, boolean pow2, int exp, long offsetSec) {
        long nanos(long ticks) {
            long ns;
            if (!pow2) {
                if (exp == 9) {
                    ns = ticks;
                } else if (exp < 9) {
                    ns = ticks * POW10[9 - exp];
                } else {
                    ns = ticks / POW10[Math.min(exp - 9, 18)];
                }
            } else {
                long whole = exp >= 63 ? 0 : ticks >>> exp;
                long rem = exp >= 63 ? ticks : ticks & ((1L << exp) - 1);
                ns = whole * 1_000_000_000L + (exp >= 63 ? 0 : (long) (rem * (1e9 / Math.pow(2, exp))));
            }
            return ns + offsetSec * 1_000_000_000L;
        }
    }

    private static final long[] POW10 = new long[19];
    static {
        POW10[0] = 1;
        for (int i = 1; i < 19; i++) {
            POW10[i] = POW10[i - 1] * 10;
        }
    }

    private final List<Iface> ifaces = new ArrayList<>();
    private boolean ended;

    PcapNgStream(Path path) throws IOException {
        super(path);
        if (file.size < 28) {
            close();
            throw new IOException(path.getFileName() + ": pcapng section header is cut short (" + file.size + " bytes)");
        }
        ByteBuffer b = file.ensure(0, 28);
        if (b.getInt(0) != SHB || !orderFromMagic(b, 0)) {
            close();
            throw new IOException(path.getFileName() + ": not a pcapng file (bad section header)");
        }
        pos = 0;
    }

    /** Sets the byte order from the SHB at {@code idx}; false if the magic is wrong. */
    private boolean orderFromMagic(ByteBuffer b, int idx) {
        ByteOrder old = b.order();
        b.order(ByteOrder.LITTLE_ENDIAN);
        int m = b.getInt(idx + 8);
        b.order(old);
        if (m == BYTE_ORDER_MAGIC) {
            file.order(ByteOrder.LITTLE_ENDIAN);
            return true;
        }
        if (Integer.reverseBytes(m) == BYTE_ORDER_MAGIC) {
            file.order(ByteOrder.BIG_ENDIAN);
            return true;
        }
        return false;
    }

    @Override
    public String format() {
        return "pcapng";
    }

    @Override
    public boolean next() throws IOException {
        while (!ended) {
            if (pos + 12 > file.size) {
                if (pos < file.size) {
                    damage.record(pos, file.size - pos, "block cut short at end of file");
                    pos = file.size;
                }
                ended = true;
                return false;
            }
            ByteBuffer b = file.ensure(pos, 12);
            int i = (int) (pos - file.base());
            int type = b.getInt(i);
            if (type == SHB) {
                if (pos + 28 > file.size) {
                    damage.record(pos, file.size - pos, "section header cut short at end of file");
                    pos = file.size;
                    ended = true;
                    return false;
                }
                b = file.ensure(pos, 28);
                i = (int) (pos - file.base());
                if (!orderFromMagic(b, i)) {
                    resync("section header with bad byte-order magic");
                    continue;
                }
                b = file.ensure(pos, 28);
                ifaces.clear();
            }
            long len = b.getInt(i + 4) & 0xFFFFFFFFL;
            if (len < 12 || (len & 3) != 0 || len > MAX_RECORD + 64L) {
                resync("block with invalid length " + len);
                continue;
            }
            if (pos + len > file.size) {
                damage.record(pos, file.size - pos, "last block cut short (file truncated)");
                pos = file.size;
                ended = true;
                return false;
            }
            b = file.ensure(pos, (int) len);
            i = (int) (pos - file.base());
            type = b.getInt(i);
            if ((b.getInt(i + (int) len - 4) & 0xFFFFFFFFL) != len) {
                resync("block length does not match its trailer");
                continue;
            }
            long blockStart = pos;
            pos += len;
            switch (type) {
                case IDB -> readIdb(b, i, (int) len);
                case EPB, OPB -> {
                    if (len < 32) {
                        damage.record(blockStart, len, "packet block too short");
                        continue;
                    }
                    int ifId = type == EPB ? b.getInt(i + 8) : b.getShort(i + 8) & 0xFFFF;
                    long hi = b.getInt(i + 12) & 0xFFFFFFFFL;
                    long lo = b.getInt(i + 16) & 0xFFFFFFFFL;
                    long cap = b.getInt(i + 20) & 0xFFFFFFFFL;
                    long orig = b.getInt(i + 24) & 0xFFFFFFFFL;
                    if (ifId >= ifaces.size()) {
                        damage.record(blockStart, len, "packet for undeclared interface " + ifId);
                        continue;
                    }
                    if (cap > len - 32) {
                        damage.record(blockStart, len, "packet block captured length exceeds block");
                        continue;
                    }
                    Iface f = ifaces.get(ifId);
                    return emit(f, f.nanos((hi << 32) | lo), (int) cap, orig, blockStart + 28);
                }
                case SPB -> {
                    if (ifaces.isEmpty() || len < 16) {
                        damage.record(blockStart, len, "simple packet block without interface");
                        continue;
                    }
                    Iface f = ifaces.get(0);
                    long orig = b.getInt(i + 8) & 0xFFFFFFFFL;
                    long cap = Math.min(orig, len - 16);
                    if (f.snaplen > 0) {
                        cap = Math.min(cap, f.snaplen);
                    }
                    // SPB carries no timestamp: keep the previous packet's so time never jumps to 1970
                    return emit(f, tsNanos, (int) cap, orig, blockStart + 12);
                }
                default -> {
                    // SHB, NRB, ISB, DSB, custom and unknown blocks carry no packets
                }
            }
        }
        return false;
    }

    private boolean emit(Iface f, long ts, int cap, long orig, long dataAt) throws IOException {
        capLen = cap;
        origLen = (int) Math.min(Integer.MAX_VALUE, Math.max(orig, cap));
        tsNanos = ts;
        linkType = f.linkType;
        setData(dataAt);
        frame++;
        return true;
    }

    private void readIdb(ByteBuffer b, int i, int len) {
        int lt = b.getShort(i + 8) & 0xFFFF;
        long snap = b.getInt(i + 12) & 0xFFFFFFFFL;
        boolean pow2 = false;
        int exp = 6;
        long offSec = 0;
        int o = i + 16;
        int end = i + len - 4;
        while (o + 4 <= end) {
            int code = b.getShort(o) & 0xFFFF;
            int olen = b.getShort(o + 2) & 0xFFFF;
            if (code == 0 || o + 4 + olen > end) {
                break;
            }
            if (code == 9 && olen >= 1) {
                int v = b.get(o + 4) & 0xFF;
                pow2 = (v & 0x80) != 0;
                exp = v & 0x7F;
            } else if (code == 14 && olen >= 8) {
                offSec = b.getLong(o + 4);
            }
            o += 4 + ((olen + 3) & ~3);
        }
        ifaces.add(new Iface(lt, snap, 0, pow2, exp, offSec));
    }

    private boolean blockAt(long at) throws IOException {
        if (at + 12 > file.size) {
            return false;
        }
        ByteBuffer b = file.ensure(at, 12);
        int i = (int) (at - file.base());
        int type = b.getInt(i);
        if (type != SHB && type != IDB && type != EPB && type != SPB && type != OPB && type != NRB && type != ISB
                && type != DSB) {
            return false;
        }
        long len = b.getInt(i + 4) & 0xFFFFFFFFL;
        if (len < 12 || (len & 3) != 0 || len > MAX_RECORD + 64L || at + len > file.size) {
            return false;
        }
        b = file.ensure(at, (int) len);
        i = (int) (at - file.base());
        return (b.getInt(i + (int) len - 4) & 0xFFFFFFFFL) == len;
    }

    private void resync(String reason) throws IOException {
        long start = pos;
        for (long at = pos + 4; at + 12 <= file.size; at += 4) {
            if (blockAt(at)) {
                damage.record(start, at - start, reason);
                pos = at;
                return;
            }
        }
        damage.record(start, file.size - start, reason + "; no further block found");
        pos = file.size;
        ended = true;
    }
}
