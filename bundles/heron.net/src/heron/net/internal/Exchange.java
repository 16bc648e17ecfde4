package heron.net.internal;

import heron.core.model.HttpRequest;
import heron.core.model.HttpResponse;

/** An exchange being assembled on one connection (worker-confined). */
final class Exchange {
    final long id;
    final int sequence;
    final String method;
    final long requestFirstFrame;
    HttpRequest request;
    HttpResponse response;
    boolean requestDone;
    boolean responseDone;
    boolean emitted;
    /**
     * For a placeholder that holds a response seen before its request (see
     * {@code Session.holdResponse}): the exchange of the request that later claimed it, or null.
     */
    Exchange claimedBy;
    /** For a placeholder: the connection's gap count when the response was held. */
    long gapMark;

    Exchange(long id, int sequence, String method, long requestFirstFrame) {
        this.id = id;
        this.requestFirstFrame = requestFirstFrame;
        this.sequence = sequence;
        this.method = method;
    }

    /** A response that arrived before any request it could answer, held for a later request. */
    static Exchange placeholder(long responseFirstFrame, long gapMark) {
        Exchange x = new Exchange(-1, -1, null, responseFirstFrame);
        x.gapMark = gapMark;
        return x;
    }

    boolean isPlaceholder() {
        return id < 0;
    }
}
