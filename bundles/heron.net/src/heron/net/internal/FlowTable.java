package heron.net.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * Reader-side table of live connections: open addressing keyed by the canonical 4-tuple (no
 * allocation per lookup). Decides connection boundaries (new connection on the first packet, on a
 * new SYN after the old connection finished, after idle eviction).
 */
public final class FlowTable {
    /** Receives connection-boundary decisions. */
    public interface Listener {
        void closed(FlowEntry e, boolean idle);
    }

    private FlowEntry[] slots = new FlowEntry[1 << 12];
    /** Hash of each slot's entry: probes compare it first and touch only the matching entry. */
    private int[] tags = new int[1 << 12];
    private int size;
    /** Live entries in creation order, which is id order (ids are first frames): sweeps need no sort. */
    private FlowEntry oldest, newest;
    private final int workers;
    private final Listener listener;
    public int side;

    public FlowTable(int workers, Listener listener) {
        this.workers = workers;
        this.listener = listener;
    }

    /**
     * Looks up or creates the connection of the decoded packet; sets {@link #side}.
     */
    public FlowEntry lookup(PacketDecoder d, long frame, long ts) {
        long aHi, aLo, bHi, bLo;
        int aPort, bPort;
        int c = Long.compareUnsigned(d.srcHi, d.dstHi);
        if (c == 0) {
            c = Long.compareUnsigned(d.srcLo, d.dstLo);
        }
        if (c == 0) {
            c = Integer.compare(d.srcPort, d.dstPort);
        }
        if (c <= 0) {
            side = 0;
            aHi = d.srcHi; aLo = d.srcLo; aPort = d.srcPort; bHi = d.dstHi; bLo = d.dstLo; bPort = d.dstPort;
        } else {
            side = 1;
            aHi = d.dstHi; aLo = d.dstLo; aPort = d.dstPort; bHi = d.srcHi; bLo = d.srcLo; bPort = d.srcPort;
        }
        int h = FlowEntry.hash(aHi, aLo, aPort, bHi, bLo, bPort);
        int mask = slots.length - 1;
        int i = h & mask;
        FlowEntry e;
        while ((e = slots[i]) != null) {
            if (tags[i] == h && e.aLo == aLo && e.bLo == bLo && e.aPort == aPort && e.bPort == bPort && e.aHi == aHi
                    && e.bHi == bHi) {
                break;
            }
            i = (i + 1) & mask;
        }
        boolean synOnly = (d.flags & (PacketDecoder.SYN | PacketDecoder.ACK)) == PacketDecoder.SYN;
        if (e != null && synOnly && startsNewConnection(e, d.seq)) {
            listener.closed(e, false);
            removeAt(i);
            e = null;
            i = h & mask;
            while (slots[i] != null) {
                i = (i + 1) & mask;
            }
        }
        if (e == null) {
            // worker choice from the canonical hash: same connection (any direction) -> same worker
            e = new FlowEntry(aHi, aLo, aPort, bHi, bLo, bPort, d.ipv6, frame, workerOf(d));
            slots[i] = e;
            tags[i] = h;
            e.older = newest;
            if (newest != null) {
                newest.newer = e;
            } else {
                oldest = e;
            }
            newest = e;
            if (++size * 2 > slots.length) {
                grow();
            }
        }
        if (synOnly && !e.synSeen) {
            e.synSeen = true;
            e.synSeq = d.seq;
            e.clientSide = side;
        }
        if ((d.flags & PacketDecoder.FIN) != 0) {
            if (side == 0) {
                e.fin0 = true;
            } else {
                e.fin1 = true;
            }
        }
        if ((d.flags & PacketDecoder.RST) != 0) {
            e.rst = true;
        }
        e.lastNanos = ts;
        return e;
    }

    /**
     * The worker of the packet's connection: a hash of the 4-tuple that is the same in both
     * directions (each pair of fields is combined with XOR), so no canonical order is needed.
     */
    private int workerOf(PacketDecoder d) {
        if (workers <= 1) {
            return 0;
        }
        long x = ((d.srcLo ^ d.dstLo) + (d.srcHi ^ d.dstHi) * 0xC2B2AE3D27D4EB4FL) * 0x9E3779B97F4A7C15L;
        x = (x ^ (d.srcPort ^ d.dstPort)) * 0xff51afd7ed558ccdL;
        x ^= x >>> 33;
        return (int) Long.remainderUnsigned(x, workers);
    }

    private static boolean startsNewConnection(FlowEntry e, int seq) {
        if (e.synSeen && e.synSeq == seq) {
            return false; // retransmitted SYN
        }
        return e.closed() || e.payloadSeen || e.fin0 || e.fin1;
    }

    /** Removes connections idle since before {@code cutoff} (closed ones after {@code closedCutoff}). */
    public void sweep(long cutoff, long closedCutoff) {
        // oldest first: the listener hears of them in id order, as before, without sorting
        FlowEntry e = oldest;
        while (e != null) {
            FlowEntry next = e.newer;
            if (e.lastNanos < cutoff || (e.closed() && e.lastNanos < closedCutoff)) {
                listener.closed(e, !e.closed());
                remove(e);
            }
            e = next;
        }
    }

    /** All live entries ordered by id. */
    public List<FlowEntry> all() {
        List<FlowEntry> out = new ArrayList<>(size);
        for (FlowEntry e = oldest; e != null; e = e.newer) {
            out.add(e);
        }
        return out;
    }

    public int size() {
        return size;
    }

    private void remove(FlowEntry e) {
        int mask = slots.length - 1;
        int i = FlowEntry.hash(e.aHi, e.aLo, e.aPort, e.bHi, e.bLo, e.bPort) & mask;
        while (slots[i] != null) {
            if (slots[i] == e) {
                removeAt(i);
                return;
            }
            i = (i + 1) & mask;
        }
    }

    /** Backward-shift deletion keeps probe chains intact without tombstones. */
    private void removeAt(int i) {
        int mask = slots.length - 1;
        FlowEntry gone = slots[i];
        gone.removed = true;
        unlink(gone);
        slots[i] = null;
        size--;
        int j = i;
        while (true) {
            j = (j + 1) & mask;
            FlowEntry f = slots[j];
            if (f == null) {
                return;
            }
            int k = tags[j] & mask;
            // move f back if its home slot k is not in (i, j]
            if ((j > i && (k <= i || k > j)) || (j < i && (k <= i && k > j))) {
                slots[i] = f;
                tags[i] = tags[j];
                slots[j] = null;
                i = j;
            }
        }
    }

    private void unlink(FlowEntry e) {
        if (e.older != null) {
            e.older.newer = e.newer;
        } else {
            oldest = e.newer;
        }
        if (e.newer != null) {
            e.newer.older = e.older;
        } else {
            newest = e.older;
        }
        e.older = null;
        e.newer = null;
    }

    private void grow() {
        FlowEntry[] old = slots;
        int[] oldTags = tags;
        slots = new FlowEntry[old.length * 2];
        tags = new int[old.length * 2];
        int mask = slots.length - 1;
        for (int k = 0; k < old.length; k++) {
            FlowEntry e = old[k];
            if (e != null) {
                int i = oldTags[k] & mask;
                while (slots[i] != null) {
                    i = (i + 1) & mask;
                }
                slots[i] = e;
                tags[i] = oldTags[k];
            }
        }
    }
}
