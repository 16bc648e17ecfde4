package heron.core.model;

/**
 * One side of a connection. {@code ip} is the textual address (IPv6 in its compressed form);
 * {@link #toString()} gives the "ip:port" / "[v6]:port" form used in views and JSON output.
 */
public record Endpoint(String ip, int port) implements Comparable<Endpoint> {

    public boolean isIpv6() {
        return ip.indexOf(':') >= 0;
    }

    @Override
    public String toString() {
        return isIpv6() ? "[" + ip + "]:" + port : ip + ":" + port;
    }

    @Override
    public int compareTo(Endpoint o) {
        int c = ip.compareTo(o.ip);
        return c != 0 ? c : Integer.compare(port, o.port);
    }
}
