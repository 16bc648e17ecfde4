package heron.net;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.NullProgressMonitor;
import org.eclipse.core.runtime.OperationCanceledException;

import heron.core.capture.CaptureDamage;
import heron.core.capture.PacketStream;
import heron.core.health.PipelineHealth;
import heron.core.model.Direction;
import heron.core.model.PacketRecord;
import heron.net.internal.Counters;
import heron.net.internal.Dispatcher;
import heron.net.internal.FlowEntry;
import heron.net.internal.FlowTable;
import heron.net.internal.FlowWorker;
import heron.net.internal.PacketDecoder;
import heron.net.internal.ReaderSupport;
import heron.net.pcap.StableBuffers;

/**
 * From capture packets to HTTP exchanges: link/IP/TCP decode and connection tracking on the
 * calling thread, TCP reassembly and HTTP/1.x + SSE parsing in flow workers. Results (exchange
 * and connection ids included) are identical for any worker count and across runs.
 */
public final class NetPipeline {
    private static final int CANCEL_CHECK_MASK = 4095;

    private NetPipeline() {
    }

    /**
     * Reads all packets, reassembles, parses HTTP; blocks until every result was handed to the
     * sink. Every packet is counted in {@code health}.
     *
     * @param monitor checked every few thousand packets; when canceled the run stops and throws
     *                {@link OperationCanceledException} (results already delivered stay delivered)
     * @throws IOException when reading the capture fails (damage inside the file does not throw:
     *                     see {@link NetResult#damage()})
     */
    public static NetResult run(PacketStream packets, NetOptions options, NetSink sink, PipelineHealth health,
            IProgressMonitor monitor) throws IOException {
        Objects.requireNonNull(packets, "packets");
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(sink, "sink");
        Objects.requireNonNull(health, "health");
        IProgressMonitor mon = monitor == null ? new NullProgressMonitor() : monitor;
        int n = options.workers();
        FlowWorker[] workers = new FlowWorker[n];
        for (int i = 0; i < n; i++) {
            workers[i] = new FlowWorker(options, sink);
        }
        // a mapped file: workers and bodies may read packet bytes where they are (no copies)
        StableBuffers stableSource = packets instanceof StableBuffers sb ? sb : null;
        boolean wantPackets = ReaderSupport.wantsPackets(sink);
        Dispatcher dispatcher = Dispatcher.create(workers);
        FlowTable table = new FlowTable(n, dispatcher::close);
        PacketDecoder d = new PacketDecoder();
        Counters rc = new Counters();
        SortedSet<Integer> linkTypes = new TreeSet<>();
        int lastLinkType = Integer.MIN_VALUE;
        long count = 0, bytes = 0, first = 0, last = 0;
        long idle = options.idleTimeoutNanos();
        long sweepEvery = ReaderSupport.sweepEvery(idle);
        long closedLinger = ReaderSupport.closedLinger(idle);
        long nextSweep = Long.MIN_VALUE;
        boolean done = false;
        long total = packets instanceof heron.net.pcap.SizedStream sz ? sz.size() : 0;
        mon.beginTask("Reading packets", total > 0 ? 1000 : IProgressMonitor.UNKNOWN);
        int reported = 0;
        try {
            while (packets.next()) {
                count++;
                if ((count & CANCEL_CHECK_MASK) == 0) {
                    dispatcher.check();
                    if (mon.isCanceled()) {
                        throw new OperationCanceledException();
                    }
                    if (total > 0) {
                        int permille = (int) Math.min(1000, packets.position() * 1000 / total);
                        if (permille > reported) {
                            mon.worked(permille - reported);
                            reported = permille;
                        }
                    }
                }
                long frame = packets.frame();
                long ts = packets.timestampNanos();
                int lt = packets.linkType();
                int cap = packets.capturedLength();
                int orig = packets.originalLength();
                bytes += cap;
                if (count == 1) {
                    first = ts;
                    nextSweep = ts + sweepEvery;
                }
                last = ts;
                if (lt != lastLinkType) {
                    linkTypes.add(lt);
                    lastLinkType = lt;
                }
                if (ts >= nextSweep) {
                    table.sweep(ts - idle, ts - closedLinger);
                    nextSweep = ts + sweepEvery;
                }
                ByteBuffer buf;
                int start, stop;
                ByteBuffer sb = stableSource != null ? stableSource.stableData() : null;
                boolean stable = sb != null;
                if (stable) {
                    // the mapped window itself (big-endian, never repositioned): decode in place,
                    // and workers and bodies read the payload where it is
                    buf = sb;
                    start = stableSource.stableIndex();
                    stop = start + cap;
                } else {
                    buf = packets.data();
                    if (buf.order() != ByteOrder.BIG_ENDIAN) {
                        buf = buf.duplicate().order(ByteOrder.BIG_ENDIAN);
                    }
                    start = buf.position();
                    stop = buf.limit();
                }
                rc.inc(Counters.C.PACKETS_TOTAL);
                int kind = d.decode(buf, start, stop, lt);
                FlowEntry e = null;
                int side = 0;
                if (kind == PacketDecoder.TCP) {
                    e = table.lookup(d, frame, ts);
                    side = table.side;
                    boolean truncated = d.payloadLen < d.wirePayloadLen;
                    if (truncated) {
                        rc.inc(Counters.C.PACKETS_TRUNCATED_SNAPLEN);
                    }
                    rc.inc(d.wirePayloadLen > 0 ? Counters.C.PACKETS_TCP : Counters.C.PACKETS_TCP_NO_PAYLOAD);
                    ReaderSupport.tcpPacket(e, side, d, buf);
                    dispatcher.packet(e, side, e.clientSideHint(), d.seq, d.ack, d.flags, buf, d.payloadOff, d.payloadLen,
                            d.wirePayloadLen, ts, frame, stable);
                } else {
                    rc.inc(switch (kind) {
                        case PacketDecoder.NON_TCP -> Counters.C.PACKETS_NON_TCP;
                        case PacketDecoder.NON_IP -> Counters.C.PACKETS_NON_IP;
                        case PacketDecoder.UNSUPPORTED_LINK -> Counters.C.PACKETS_UNSUPPORTED_LINK;
                        case PacketDecoder.FRAGMENT -> Counters.C.PACKETS_IP_FRAGMENT;
                        default -> Counters.C.PACKETS_MALFORMED;
                    });
                    if (kind == PacketDecoder.MALFORMED && cap < orig) {
                        rc.inc(Counters.C.PACKETS_TRUNCATED_SNAPLEN);
                    }
                }
                if (wantPackets) {
                    Direction dir = null;
                    if (e != null && e.clientSideHint() >= 0) {
                        dir = side == e.clientSideHint() ? Direction.CLIENT_TO_SERVER : Direction.SERVER_TO_CLIENT;
                    }
                    // no summary: the frame index does not keep one, and the views derive theirs
                    // from the packet bytes when they show the packet
                    sink.packet(new PacketRecord(frame, ts, packets.fileOffset(), cap, orig, lt, e == null ? 0 : e.id,
                            dir, null));
                }
            }
            dispatcher.finish();
            done = true;
        } finally {
            if (!done) {
                dispatcher.abort();
            }
            CaptureDamage dmg = packets.damage();
            rc.add(Counters.C.FILE_DAMAGED_BYTES, dmg.skippedBytes());
            rc.add(Counters.C.FILE_SKIPPED_BLOCKS, dmg.skippedBlocks());
            rc.flushTo(health);
            for (FlowWorker w : workers) {
                w.counters().flushTo(health);
            }
            mon.done();
        }
        return new NetResult(packets.format(), count, bytes, first, last, linkTypes, packets.damage());
    }
}
