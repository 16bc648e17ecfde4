package heron.core.model;

/**
 * A time window of one capture picked in a view (the Metrics view's brush), published through
 * the workbench selection so that views showing time-stamped entities can restrict themselves
 * to it. Times are nanoseconds since the epoch, both ends included.
 */
public record TimeWindow(long captureId, long fromNanos, long toNanos) {
    public TimeWindow {
        if (toNanos < fromNanos) {
            throw new IllegalArgumentException("time window ends before it starts");
        }
    }

    public boolean contains(long nanos) {
        return nanos >= fromNanos && nanos <= toNanos;
    }

    /** The LLM Calls filter-language condition selecting the calls requested in this window. */
    public String callFilter() {
        return "request_ns >= " + fromNanos + " and request_ns <= " + toNanos;
    }
}
