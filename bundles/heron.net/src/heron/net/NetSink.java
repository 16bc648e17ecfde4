package heron.net;

import heron.core.model.Connection;
import heron.core.model.HttpExchange;
import heron.core.model.PacketRecord;

/**
 * Receives the results of {@link NetPipeline#run}. {@link #exchange} and {@link #connection} are
 * called from worker threads concurrently: implementations must be thread-safe. The order of
 * calls depends on timing; the set of results and their ids do not.
 */
public interface NetSink {

    /**
     * Each exchange exactly once: when its request and response are complete, or when its
     * connection ends (response null if none was seen; incomplete response with complete=false).
     */
    void exchange(HttpExchange exchange);

    /** Each TCP connection once: when it closed, was evicted as idle, or at the end of the capture. */
    void connection(Connection connection);

    /**
     * The frame index: every packet in frame order, from the reading thread; connectionId is set
     * for TCP packets. Not overriding this method saves building the records.
     */
    default void packet(PacketRecord packet) {
    }
}
