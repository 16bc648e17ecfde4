package heron.pipeline;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;

import heron.agents.PlacedCall;
import heron.agents.TurnResult;
import heron.core.model.AgentTag;
import heron.core.model.Capture;
import heron.core.model.Connection;
import heron.core.model.HttpExchange;
import heron.core.model.LlmCall;
import heron.core.model.PacketRecord;
import heron.core.model.ToolCall;
import heron.store.HeronStore;
import heron.store.StoreWriter;

/**
 * Feeds an import into the workspace store. {@link StoreWriter} is single-threaded and the
 * pipeline's workers call in concurrently, so every write is queued (bounded: back-pressure, not
 * unbounded memory) to one writer thread; the workers never wait on JDBC unless the queue is full.
 * Payloads are encoded by the calling threads before they are queued, and packets skip the queue:
 * their frame index entries are appended by the calling thread.
 * If the import fails the capture is aborted (no half capture stays behind); if it is cancelled
 * what was read is kept with status CANCELLED.
 */
public final class StoreImportSink implements ImportSink, AutoCloseable {
    private interface Write {
        void apply(StoreWriter w);
    }

    private static final Write STOP = w -> {
    };
    /** Commit pending rows after this long without new writes (live views). */
    static final long IDLE_FLUSH_MS = 500;
    /** Commit pending rows at least this often while writes keep coming (busy imports). */
    static final long BUSY_FLUSH_MS = 1000;
    /**
     * The first commit of a capture comes this soon after its first row, so an analyst who just
     * opened a big capture sees rows in well under a second (issue #8's first-rows goal); commits
     * keep this pace until one has held a call row, then follow {@link #BUSY_FLUSH_MS}.
     */
    static final long FIRST_FLUSH_MS = 250;

    private final StoreWriter writer;
    private final BlockingQueue<Write> queue = new ArrayBlockingQueue<>(8192);
    private final Thread thread;
    private volatile Throwable failure;
    private volatile Capture finished;
    private long captureId;

    private final LongConsumer onBegin;
    private final boolean deferCalls;
    // Writer thread only: calls whose rows wait for their agent tag, by call id (deferCalls): each
    // packed but its agent columns while the import runs, so the tail after the turn tracker only
    // adds the tags.
    private final Map<Long, StoreWriter.StagedCall> staged = new HashMap<>();
    /** {@link #end} returns without waiting for the writer ({@link #endInBackground}). */
    private boolean endInBackground;

    /** Agent tags as last written by an interim grouping (writer thread only). */
    private final Map<Long, AgentTag> writtenTags = new HashMap<>();
    /**
     * Whether a call row was written (writer thread only): commits come every
     * {@link #FIRST_FLUSH_MS} until one held a call.
     */
    private boolean callWritten;

    /** Whether an interim grouping was written (writer thread only). */
    private boolean interimWritten;

    /**
     * Packets were appended to the frame index since the last commit (they skip the queue): a
     * live capture of traffic that yields no rows (TLS, non-HTTP) still shows its packets.
     */
    private volatile boolean packetsPending;

    /** Told after each commit while the import runs (writer thread). */
    private volatile Runnable onCommit = () -> {
    };

    public StoreImportSink(HeronStore store) {
        this(store, id -> {
        });
    }

    /** @param onBegin told the capture id once the store has created the capture row */
    public StoreImportSink(HeronStore store, LongConsumer onBegin) {
        this(store, onBegin, false);
    }

    /**
     * @param onBegin    told the capture id once the store has created the capture row
     * @param deferCalls write each call's row only when the turn tracker has tagged it (at the
     *                   end of the import) instead of writing it at once and updating its agent
     *                   columns later: one row write per call instead of two, for imports whose
     *                   calls nobody looks at before the import ends ({@code heron analyze}).
     *                   Live views of the capture then see its calls only at the end, so the
     *                   workbench's imports keep the default (false). The payloads still go to
     *                   the payload file at once; only the row waits. The rows are packed and
     *                   the views' indexes not built at the end either: both wait for the first
     *                   query of the capture ({@link StoreWriter#deferRows()}, ADR 0007).
     */
    public StoreImportSink(HeronStore store, LongConsumer onBegin, boolean deferCalls) {
        this.writer = store.writer();
        if (deferCalls) {
            // Nobody views the capture while it is imported: its rows and indexes wait for the
            // first query that needs them (HeronStore.ensureRows), if any ever comes.
            writer.deferRows();
        }
        this.onBegin = onBegin;
        this.deferCalls = deferCalls;
        this.thread = new Thread(this::drain, "heron-store-writer");
        this.thread.setDaemon(true);
    }

    /**
     * Applies queued writes. When the queue has been idle for {@link #IDLE_FLUSH_MS} with writes
     * not yet committed, or {@link #BUSY_FLUSH_MS} passed since the last commit, they are
     * committed: during a live capture or an import the views, which read committed rows, then
     * see calls within about a second instead of only after the writer's next batch of thousands
     * of rows.
     */
    private void drain() {
        boolean dirty = false;
        // true once a commit held a call row: the views' first rows are calls, and on a big capture
        // the first commit (FIRST_FLUSH_MS after the first row) often holds only packets
        boolean committed = false;
        long lastFlush = System.nanoTime();
        try {
            for (;;) {
                Write w = queue.poll(IDLE_FLUSH_MS, TimeUnit.MILLISECONDS);
                if (w == null) {
                    if ((dirty || packetsPending) && failure == null && writer.inCapture()) {
                        commit();
                        dirty = false;
                        lastFlush = System.nanoTime();
                    }
                    continue;
                }
                if (w == STOP) {
                    return;
                }
                if (failure == null) {
                    if (!committed && !dirty) {
                        // the first commit's clock starts with the first row, not the thread
                        lastFlush = System.nanoTime();
                    }
                    w.apply(writer);
                    dirty = true;
                    // A busy import is never idle: commit at least every BUSY_FLUSH_MS too (every
                    // FIRST_FLUSH_MS until a commit held a call), so its first calls reach the views
                    // at once, not at the first commitRows boundary (docs/performance.md, Workbench).
                    // The first call row is committed as soon as it is written: the views' first
                    // rows are calls, and waiting for the next tick would only delay them.
                    long every = committed ? BUSY_FLUSH_MS : FIRST_FLUSH_MS;
                    boolean firstCall = !committed && callWritten;
                    if (writer.inCapture() && (firstCall || System.nanoTime() - lastFlush >= every * 1_000_000L)) {
                        commit();
                        dirty = false;
                        committed = callWritten || deferCalls;
                        lastFlush = System.nanoTime();
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            failure = e;
            queue.clear();
        }
    }

    private void submit(Write w) {
        if (failure != null) {
            return;
        }
        try {
            queue.put(w);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing to the store", e);
        }
    }

    /**
     * Tells {@code listener} after each commit of the running import, on the writer thread: the
     * views that follow the import reload then, instead of polling (at most every
     * {@link #FIRST_FLUSH_MS} at the start, then about once a second, never per row). Set it
     * before {@link #begin}; it must return quickly.
     */
    public StoreImportSink onCommit(Runnable listener) {
        onCommit = listener;
        return this;
    }

    private void commit() {
        packetsPending = false;
        writer.flush();
        onCommit.run();
    }

    /** The id the store gave the capture (valid after {@link #begin}). */
    public long captureId() {
        return captureId;
    }

    /** The capture as finished in the store, or null if the import did not end normally. */
    public Capture finishedCapture() {
        return finished;
    }

    @Override
    public void begin(Capture capture) {
        captureId = writer.beginCapture(capture);
        thread.start();
        onBegin.accept(captureId);
    }

    /**
     * Appends to the frame index directly on the calling thread (the pipeline's reading thread):
     * {@link StoreWriter#packet} may run beside the writer thread, and a million packets through
     * the row queue cost the writer thread more than the file append itself. The packets are
     * written before {@link #end} queues {@code finish}, which the queue orders after them.
     */
    @Override
    public void packet(PacketRecord packet) {
        if (failure == null) {
            writer.packet(packet);
            if (!packetsPending) {
                packetsPending = true;
            }
        }
    }

    @Override
    public void connection(Connection connection) {
        submit(w -> w.connection(connection));
    }

    /**
     * Masking, serialising and compressing the payloads is most of the per-call work; it is done
     * here, on the calling worker thread ({@link StoreWriter#encodeExchange} is thread-safe), so
     * the single writer thread only appends bytes and inserts rows.
     */
    @Override
    public void exchange(HttpExchange exchange, LlmCall call) {
        if (failure != null) {
            return;
        }
        StoreWriter.Payload ep = writer.encodeExchange(exchange);
        StoreWriter.Payload cp = call == null ? null : writer.encodeCall(call);
        // A deferred row keeps only its own fields: the conversation is in the payload already.
        LlmCall row = call == null || !deferCalls ? call : rowOnly(call);
        // The queued write holds the exchange's row, not the exchange: its bodies and events
        // become garbage here instead of waiting in the queue (less copying by the collector).
        submit(w -> {
            w.exchange(ep);
            if (row == null) {
                return;
            }
            if (deferCalls) {
                staged.put(row.id(), w.stageCall(row, cp));
            } else {
                w.call(row, cp);
                callWritten = true;
            }
        });
    }

    /**
     * The call without what goes to the payload file (tool schemas, tool results, system prompt,
     * messages, output and reasoning text, tool-call ids and arguments): what
     * {@link StoreWriter#stageCall} puts in the row. The queued write keeps only this until the
     * writer thread packs it.
     */
    static LlmCall rowOnly(LlmCall c) {
        List<ToolCall> names = c.toolCalls().isEmpty() ? List.of() : new ArrayList<>(c.toolCalls().size());
        for (ToolCall tc : c.toolCalls()) {
            names.add(new ToolCall(null, tc.name(), null));
        }
        return new LlmCall(c.id(), c.exchangeId(), c.wireApi(), c.host(), c.serverKind(), c.requestModel(),
                c.responseModel(), c.stream(), c.status(), c.finishReason(), c.finish(), c.usage(), c.requestNanos(),
                c.responseHeadersNanos(), c.firstContentNanos(), c.endNanos(), List.of(), names, List.of(), null,
                List.of(), null, null, c.error(), c.responseId(), c.decodeError(), c.agent());
    }

    /**
     * The exchange rows are complete: their indexes are built on the writer thread now, while
     * the importing thread runs the turn tracker (with two cores the two overlap).
     */
    @Override
    public void exchangesDone() {
        submit(StoreWriter::indexExchanges);
    }

    /**
     * Writes an interim grouping: the agent tags of calls whose tag changed since the last
     * grouping written, and the whole set of turns, sessions and tool links in place of the last
     * one ({@link StoreWriter#replaceAgentRows}, one transaction).
     */
    @Override
    public void agentsSoFar(TurnResult result) {
        submit(w -> {
            for (PlacedCall c : result.calls()) {
                AgentTag tag = c.agent();
                if (tag != null && !tag.equals(writtenTags.get(c.id()))) {
                    w.callAgent(c.id(), tag);
                    writtenTags.put(c.id(), tag);
                }
            }
            w.replaceAgentRows(result.turns(), result.sessions(), result.toolLinks());
            interimWritten = true;
        });
    }

    @Override
    public void agents(TurnResult result) {
        submit(w -> {
            if (!interimWritten) {
                // Turns, sessions and tool links go on a connection of their own while this thread
                // writes the call rows: on two cores the import's tail is then about the larger
                // half instead of the sum (ADR 0005, Update (session 5)).
                w.agentRowsConcurrently(result.turns(), result.sessions(), result.toolLinks());
            }
            for (PlacedCall c : result.calls()) {
                StoreWriter.StagedCall s = deferCalls ? staged.remove(c.id()) : null;
                if (s != null) {
                    w.call(s, c.agent());
                } else if (c.agent() != null && !deferCalls) {
                    w.callAgent(c.id(), c.agent());
                }
            }
            writeStagedCalls(w);
            if (interimWritten) {
                // the final grouping replaces the interim one: the rows end up as if only it was written
                w.replaceAgentRows(result.turns(), result.sessions(), result.toolLinks());
                writtenTags.clear();
            }
        });
    }

    /**
     * Calls staged but not in the tracker's result (the import was cancelled before the tracker
     * ran): their rows are written untagged. The sink keeps each row's fields until it is written.
     */
    private void writeStagedCalls(StoreWriter w) {
        staged.values().forEach(s -> w.call(s, null));
        staged.clear();
    }

    /**
     * Has {@link #end} return once the writer has the capture's end, without waiting for it to
     * write what is left; {@link #awaitEnd} then waits (and reports a failure). Lets the caller do
     * other work meanwhile, e.g. {@code heron analyze} its report while the last rows are packed.
     */
    public void endInBackground() {
        endInBackground = true;
    }

    @Override
    public void end(Capture capture, Map<String, Long> health) {
        submit(w -> {
            writeStagedCalls(w);
            w.health(health);
            w.updateCapture(capture);
            finished = w.finish(capture.status());
        });
        if (!endInBackground) {
            awaitEnd();
        }
    }

    /**
     * Waits until the writer has written everything up to the capture's end ({@link #end}).
     *
     * @throws IllegalStateException when writing failed; the capture is then removed
     */
    public void awaitEnd() {
        stopAndWait();
        if (failure != null) {
            writer.abort();
            throw new IllegalStateException("writing to the workspace database failed: " + failure.getMessage(),
                    failure);
        }
    }

    private void stopAndWait() {
        if (!thread.isAlive()) {
            return;
        }
        try {
            queue.put(STOP);
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Ends the writer; an import that did not reach {@link #end} is aborted (its rows deleted). */
    @Override
    public void close() {
        stopAndWait();
        if (finished == null) {
            writer.abort();
        }
    }
}
