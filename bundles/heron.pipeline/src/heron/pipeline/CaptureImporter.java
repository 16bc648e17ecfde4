package heron.pipeline;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.OperationCanceledException;
import org.eclipse.core.runtime.SubMonitor;

import heron.agents.PlacedCall;
import heron.agents.TurnResult;
import heron.agents.TurnTracker;
import heron.core.agents.AgentProfileRegistry;
import heron.core.capture.CaptureSourceRegistry;
import heron.core.capture.PacketStream;
import heron.core.decode.DecodeResult;
import heron.core.decode.WireApiDecoderRegistry;
import heron.core.health.PipelineHealth;
import heron.core.model.Capture;
import heron.core.model.Capture.ImportStatus;
import heron.core.model.Connection;
import heron.core.model.HttpExchange;
import heron.core.model.LlmCall;
import heron.core.model.PacketRecord;
import heron.net.NetOptions;
import heron.net.NetPipeline;
import heron.net.NetResult;
import heron.net.NetSink;

/**
 * The single import entry point: capture source → reassembly and HTTP (heron.net) → wire-API
 * decoders → turn tracker → {@link ImportSink}. Used by the workbench's import job, live capture
 * and {@code heron analyze}; headless, takes a progress monitor and honours cancellation.
 */
public final class CaptureImporter {
    private final CaptureSourceRegistry sources;
    private final WireApiDecoderRegistry decoders;
    private final AgentProfileRegistry profiles;
    private final NetOptions netOptions;
    /** Interim grouping interval; null: the default of the mode (streams: LIVE_GROUPING, files: none). */
    private final Duration interimGrouping;

    /**
     * How often turns are regrouped while a stream (live capture) is imported, at most: the
     * grouping of all calls so far is redone and handed to {@link ImportSink#agentsSoFar} only
     * when new calls arrived since the last one.
     */
    public static final Duration LIVE_GROUPING = Duration.ofSeconds(2);

    public CaptureImporter(CaptureSourceRegistry sources, WireApiDecoderRegistry decoders,
            AgentProfileRegistry profiles, NetOptions netOptions) {
        this(sources, decoders, profiles, netOptions, null);
    }

    private CaptureImporter(CaptureSourceRegistry sources, WireApiDecoderRegistry decoders,
            AgentProfileRegistry profiles, NetOptions netOptions, Duration interimGrouping) {
        this.sources = sources;
        this.decoders = decoders;
        this.profiles = profiles;
        this.netOptions = netOptions;
        this.interimGrouping = interimGrouping;
    }

    /**
     * An importer that regroups the calls seen so far into turns and sessions at most every
     * {@code interval} while importing (files and streams), and gives each interim result to
     * {@link ImportSink#agentsSoFar}. {@link Duration#ZERO} turns interim grouping off (streams
     * too). The final grouping at the end is the same either way. Without this, streams regroup
     * every {@link #LIVE_GROUPING} and files only at the end.
     */
    public CaptureImporter withInterimGrouping(Duration interval) {
        return new CaptureImporter(sources, decoders, profiles, netOptions, interval);
    }

    /** An importer over the contributions installed in the running platform. */
    public static CaptureImporter fromPlatform(NetOptions options) {
        return new CaptureImporter(CaptureSourceRegistry.fromPlatform(), WireApiDecoderRegistry.fromPlatform(),
                AgentProfileRegistry.fromPlatform(), options);
    }

    /**
     * Imports a capture file.
     *
     * @throws IOException                when the file cannot be read at all (missing, unknown format)
     * @throws OperationCanceledException when the monitor was cancelled; the sink has then seen
     *                                    {@code end} with status CANCELLED
     */
    public ImportResult importFile(Path file, ImportSink sink, IProgressMonitor monitor) throws IOException {
        long size = Files.size(file);
        CompletableFuture<String> sha256 = CompletableFuture.supplyAsync(() -> sha256Of(file));
        PacketStream packets = sources.open(file);
        try (packets) {
            return run(file.toAbsolutePath().toString(), size, packets, sha256, sink, monitor,
                    interimGrouping == null ? Duration.ZERO : interimGrouping);
        }
    }

    /**
     * Imports from an open stream, e.g. a live capture (its pcapng file is {@code path}). Turns
     * and sessions so far are regrouped while it runs (see {@link #LIVE_GROUPING}).
     */
    public ImportResult importStream(String path, PacketStream packets, ImportSink sink, IProgressMonitor monitor)
            throws IOException {
        return run(path, -1, packets, null, sink, monitor, interimGrouping == null ? LIVE_GROUPING : interimGrouping);
    }

    private ImportResult run(String path, long size, PacketStream packets, CompletableFuture<String> sha256,
            ImportSink sink, IProgressMonitor monitor, Duration interim) throws IOException {
        long started = System.nanoTime();
        SubMonitor sub = SubMonitor.convert(monitor, "Importing " + Path.of(path).getFileName(), 100);
        PipelineHealth health = new PipelineHealth();
        TurnTracker tracker = new TurnTracker(profiles, health);
        ConcurrentLinkedQueue<Connection> connections = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<ExchangeSummary> exchanges = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<CallSummary> calls = new ConcurrentLinkedQueue<>();
        CallSummary.Shared shared = new CallSummary.Shared();
        AtomicLong callsAdded = new AtomicLong();
        sink.begin(new Capture(0, path, packets.format(), size, null, List.of(), 0, 0, 0, ImportStatus.IMPORTING));
        NetSink netSink = new NetSink() {
            @Override
            public void exchange(HttpExchange exchange) {
                DecodeResult r = decoders.decode(exchange, health);
                LlmCall call = r.call();
                exchanges.add(ExchangeSummary.of(r.exchange(), call == null ? 0 : call.id()));
                sink.exchange(r.exchange(), call);
                if (call != null) {
                    // After sink.exchange: an interim grouping that sees this call is handed to
                    // the sink after the call itself.
                    tracker.add(call, r.exchange());
                    calls.add(CallSummary.of(call, shared));
                    callsAdded.incrementAndGet();
                }
                // Neither the tracker nor the summaries keep the call or the exchange: from here
                // on they are garbage unless the sink kept them.
            }

            @Override
            public void connection(Connection connection) {
                connections.add(connection);
                sink.connection(connection);
            }

            @Override
            public void packet(PacketRecord packet) {
                sink.packet(packet);
            }
        };
        NetResult net;
        ImportStatus status;
        InterimGrouping grouping = interim.isZero() || interim.isNegative() ? null
                : InterimGrouping.start(tracker, callsAdded, sink, interim);
        try {
            net = NetPipeline.run(packets, netOptions, netSink, health, sub.split(90));
            // The tracker and the store's tail take seconds on a big capture: a cancel that came
            // after the last packet is honoured here too, not only while packets are read.
            checkCanceled(sub);
        } catch (OperationCanceledException e) {
            if (grouping != null) {
                grouping.stop();
            }
            cancelled(path, packets, size, sink, health);
            throw e;
        } finally {
            // no interim result may reach the sink after the final one (or after a failure)
            if (grouping != null) {
                grouping.stop();
            }
        }
        sink.exchangesDone();
        TurnResult agents = tracker.finish();
        if (sub.isCanceled()) {
            cancelled(path, packets, size, sink, health);
            throw new OperationCanceledException();
        }
        sink.agents(agents);
        sub.worked(5);
        status = net.damage().any() ? ImportStatus.DAMAGED : ImportStatus.COMPLETE;
        String hash = sha256 == null ? null : sha256.join();
        Capture capture = new Capture(0, path, net.format(), size < 0 ? net.bytes() : size, hash,
                List.copyOf(net.linkTypes()), net.packets(), net.firstNanos(), net.lastNanos(), status);
        if (net.damage().any()) {
            health.add(PipelineHealth.FILE_DAMAGED_BYTES, net.damage().skippedBytes());
        }
        Map<String, Long> counters = health.snapshot();
        // The result's lists are sorted before the sink's end, which waits for the store writer
        // to write the calls, turns and sessions: the two overlap.
        List<Connection> conns = new ArrayList<>(connections);
        conns.sort(Comparator.comparingLong(Connection::id));
        List<ExchangeSummary> exs = new ArrayList<>(exchanges);
        exs.sort(Comparator.comparingLong(ExchangeSummary::id));
        List<CallSummary> tagged = tagged(calls, agents);
        sink.end(capture, counters);
        sub.done();
        return new ImportResult(capture, counters, net.damage(), conns, exs, tagged, agents.turns(),
                agents.sessions(), agents.toolLinks(), System.nanoTime() - started);
    }

    private static void checkCanceled(IProgressMonitor monitor) {
        if (monitor.isCanceled()) {
            throw new OperationCanceledException();
        }
    }

    /** Tells the sink the import ends cancelled: it removes what it wrote of this capture. */
    private static void cancelled(String path, PacketStream packets, long size, ImportSink sink, PipelineHealth health) {
        sink.end(new Capture(0, path, packets.format(), size, null, List.of(), 0, 0, 0, ImportStatus.CANCELLED),
                health.snapshot());
    }

    /** The tracker's order of calls: request time, then id, then exchange id. */
    private static final Comparator<CallSummary> EVENT_ORDER = Comparator.comparingLong(CallSummary::requestNanos)
            .thenComparingLong(CallSummary::id).thenComparingLong(CallSummary::exchangeId);

    /**
     * The call summaries in the tracker's order (request time, then id), each with its agent tag.
     * Sorting the summaries the tracker's way and pairing them in step is cheaper on the importing
     * thread than a look-up by id (they arrive nearly in time order); a look-up is the fallback.
     */
    private static List<CallSummary> tagged(ConcurrentLinkedQueue<CallSummary> calls, TurnResult agents) {
        CallSummary[] sorted = calls.toArray(new CallSummary[0]);
        Arrays.sort(sorted, EVENT_ORDER);
        List<PlacedCall> placed = agents.calls();
        List<CallSummary> out = new ArrayList<>(placed.size());
        boolean inStep = sorted.length == placed.size();
        for (int i = 0; inStep && i < sorted.length; i++) {
            PlacedCall p = placed.get(i);
            CallSummary c = sorted[i];
            if (c.id() != p.id()) {
                inStep = false;
            } else {
                out.add(p.agent() == null ? c : c.withAgent(p.agent()));
            }
        }
        if (inStep) {
            return out;
        }
        out.clear();
        Map<Long, CallSummary> byId = new HashMap<>(sorted.length * 2);
        for (CallSummary c : sorted) {
            byId.put(c.id(), c);
        }
        for (PlacedCall p : placed) {
            CallSummary c = byId.get(p.id());
            out.add(p.agent() == null ? c : c.withAgent(p.agent()));
        }
        return out;
    }

    /** SHA-256 of a capture file (hex), or null if it cannot be read. */
    public static String sha256Of(Path file) {
        try {
            return heron.store.CaptureFiles.sha256(file);
        } catch (IOException e) {
            return null;
        }
    }
}
