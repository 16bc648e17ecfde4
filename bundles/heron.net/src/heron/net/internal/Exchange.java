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

    Exchange(long id, int sequence, String method, long requestFirstFrame) {
        this.id = id;
        this.requestFirstFrame = requestFirstFrame;
        this.sequence = sequence;
        this.method = method;
    }
}
