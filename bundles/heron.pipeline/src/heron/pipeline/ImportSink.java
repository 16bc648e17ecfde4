package heron.pipeline;

import java.util.Map;

import heron.agents.TurnResult;
import heron.core.model.Capture;
import heron.core.model.Connection;
import heron.core.model.HttpExchange;
import heron.core.model.LlmCall;
import heron.core.model.PacketRecord;

/**
 * Where an import's results go (the workspace store, or a collector in tests and the CLI).
 * {@link #packet} comes from the reading thread in frame order; {@link #connection} and
 * {@link #exchange} come from worker threads concurrently; the rest from the importing thread.
 */
public interface ImportSink {
    /** The import starts; {@code capture} has the file facts known before reading (id 0). */
    default void begin(Capture capture) {
    }

    default void packet(PacketRecord packet) {
    }

    default void connection(Connection connection) {
    }

    /** An exchange and, when it is an LLM call, the call (before the turn tracker tagged it). */
    default void exchange(HttpExchange exchange, LlmCall call) {
    }

    /**
     * Reading has ended: no more packets, connections or exchanges will come (calls may still be
     * handed over by {@link #agents}). Called before the turn tracker finishes, from the
     * importing thread; not called when the import is cancelled or fails.
     */
    default void exchangesDone() {
    }

    /**
     * An interim grouping of the calls seen so far, while the import still runs (live captures;
     * see {@link CaptureImporter#withInterimGrouping}). Replaces any earlier interim result; the
     * turn still open is INCOMPLETE here and may change. Every call in it was given to
     * {@link #exchange} before. Called from the importer's grouping thread, never after
     * {@link #agents}.
     */
    default void agentsSoFar(TurnResult result) {
    }

    /**
     * The turn tracker's final result: every call with its agent tag, turns, sessions, tool links.
     * Replaces any interim result.
     */
    default void agents(TurnResult result) {
    }

    /** The import ended (complete, damaged or cancelled): final capture facts and health counters. */
    default void end(Capture capture, Map<String, Long> health) {
    }
}
