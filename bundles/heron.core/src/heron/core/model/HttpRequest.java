package heron.core.model;

/**
 * A parsed HTTP/1.1 request. {@code target} is the request target as sent, query included.
 * Times are of the packets carrying the first byte and completing the message; frames likewise.
 */
public record HttpRequest(String method, String target, String version, Headers headers, Body body,
        long firstByteNanos, long lastByteNanos, long firstFrame, long lastFrame) {

    /**
     * The path without the query string. An absolute-form target ({@code http://host/path}, sent
     * to a plain HTTP proxy, RFC 9112 3.2.2) gives its path, so routes match as for origin-form.
     */
    public String path() {
        String t = target;
        if (!t.isEmpty() && t.charAt(0) != '/') {
            t = originForm(t);
        }
        int q = t.indexOf('?');
        return q < 0 ? t : t.substring(0, q);
    }

    /** {@code scheme://authority/path?query} to {@code /path?query}; other targets unchanged. */
    private static String originForm(String t) {
        int s = t.indexOf("://");
        if (s <= 0 || !t.regionMatches(true, 0, "http", 0, 4)) {
            return t; // authority-form (CONNECT host:port) or asterisk-form (OPTIONS *)
        }
        int p = t.indexOf('/', s + 3);
        int q = t.indexOf('?', s + 3);
        if (p < 0 || (q >= 0 && q < p)) {
            return q < 0 ? "/" : "/" + t.substring(q);
        }
        return t.substring(p);
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
