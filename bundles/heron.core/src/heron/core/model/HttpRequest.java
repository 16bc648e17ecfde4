package heron.core.model;

/**
 * A parsed HTTP/1.1 request. {@code target} is the request target as sent, query included.
 * Times are of the packets carrying the first byte and completing the message; frames likewise.
 */
public record HttpRequest(String method, String target, String version, Headers headers, Body body,
        long firstByteNanos, long lastByteNanos, long firstFrame, long lastFrame) {

    /** The path without the query string. */
    public String path() {
        int q = target.indexOf('?');
        return q < 0 ? target : target.substring(0, q);
    }

    /** The value of a query parameter (not URL-decoded), or null. */
    public String queryParam(String name) {
        int q = target.indexOf('?');
        if (q < 0) {
            return null;
        }
        for (String kv : target.substring(q + 1).split("&")) {
            int eq = kv.indexOf('=');
            String k = eq < 0 ? kv : kv.substring(0, eq);
            if (k.equals(name)) {
                return eq < 0 ? "" : kv.substring(eq + 1);
            }
        }
        return null;
    }

    public String host() {
        return headers.get("Host");
    }
}
