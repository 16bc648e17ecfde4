package heron.net;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/** Test helper: writes classic pcap files with hand-made Ethernet/IPv4/TCP packets. */
final class PcapBuilder {
    static final int FIN = 1, SYN = 2, RST = 4, PSH = 8, ACK = 16;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteOrder order;
    private final boolean nanos;
    int packets;

    PcapBuilder() {
        this(ByteOrder.LITTLE_ENDIAN, false, 1, 262144);
    }

    PcapBuilder(ByteOrder order, boolean nanos, int linkType, int snaplen) {
        this.order = order;
        this.nanos = nanos;
        ByteBuffer h = ByteBuffer.allocate(24).order(order);
        h.putInt(nanos ? 0xa1b23c4d : 0xa1b2c3d4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0)
                .putInt(snaplen).putInt(linkType);
        out.writeBytes(h.array());
    }

    /** Adds a record; {@code capLen} < data.length cuts the packet like a snaplen would. */
    PcapBuilder record(long tsNanos, byte[] data, int capLen) {
        ByteBuffer h = ByteBuffer.allocate(16).order(order);
        long sec = tsNanos / 1_000_000_000L;
        long frac = tsNanos % 1_000_000_000L;
        h.putInt((int) sec).putInt((int) (nanos ? frac : frac / 1000)).putInt(capLen).putInt(data.length);
        out.writeBytes(h.array());
        out.write(data, 0, capLen);
        packets++;
        return this;
    }

    PcapBuilder record(long tsNanos, byte[] data) {
        return record(tsNanos, data, data.length);
    }

    byte[] bytes() {
        return out.toByteArray();
    }

    Path write(Path dir, String name) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, bytes());
        return p;
    }

    static byte[] ip(String s) {
        try {
            return InetAddress.getByName(s).getAddress();
        } catch (IOException e) {
            throw new IllegalArgumentException(s, e);
        }
    }

    /** IPv4 + TCP (no link header). */
    static byte[] ipv4Tcp(String src, int sport, String dst, int dport, int seq, int ack, int flags, byte[] payload) {
        int len = 20 + 20 + payload.length;
        ByteBuffer b = ByteBuffer.allocate(len);
        b.put((byte) 0x45).put((byte) 0).putShort((short) len).putShort((short) 1).putShort((short) 0x4000)
                .put((byte) 64).put((byte) 6).putShort((short) 0).put(ip(src)).put(ip(dst));
        b.putShort((short) sport).putShort((short) dport).putInt(seq).putInt(ack).put((byte) 0x50).put((byte) flags)
                .putShort((short) 65535).putShort((short) 0).putShort((short) 0).put(payload);
        return b.array();
    }

    /** IPv6 + hop-by-hop extension header + TCP (no link header). */
    static byte[] ipv6Tcp(String src, int sport, String dst, int dport, int seq, int ack, int flags, byte[] payload) {
        int tcpLen = 20 + payload.length;
        ByteBuffer b = ByteBuffer.allocate(40 + 8 + tcpLen);
        b.putInt(0x60000000).putShort((short) (8 + tcpLen)).put((byte) 0).put((byte) 64).put(ip(src)).put(ip(dst));
        b.put((byte) 6).put((byte) 0).put(new byte[] { 1, 4, 0, 0, 0, 0 }); // hop-by-hop, PadN
        b.putShort((short) sport).putShort((short) dport).putInt(seq).putInt(ack).put((byte) 0x50).put((byte) flags)
                .putShort((short) 65535).putShort((short) 0).putShort((short) 0).put(payload);
        return b.array();
    }

    static byte[] ethernet(int etherType, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(14 + payload.length);
        b.put(new byte[] { 2, 0, 0, 0, 0, 2 }).put(new byte[] { 2, 0, 0, 0, 0, 1 }).putShort((short) etherType)
                .put(payload);
        return b.array();
    }

    /** One TCP conversation over Ethernet/IPv4; each packet 1 ms after the previous one. */
    static final class Conv {
        final PcapBuilder b;
        final String client, server;
        final int cport, sport;
        int cseq, sseq;
        long t = 1_700_000_000_000_000_000L;
        /** Wraps the IP packet into the link layer of the file. */
        java.util.function.UnaryOperator<byte[]> link = ip -> ethernet((ip[0] >> 4) == 6 ? 0x86DD : 0x0800, ip);

        /**
         * The HTTP connection of the parsing tests (192.168.1.10:51000 to 192.168.1.20:8080),
         * handshake done.
         */
        static Conv http(PcapBuilder b) {
            return new Conv(b, "192.168.1.10", 51000, "192.168.1.20", 8080, 100, 900).handshake();
        }

        Conv(PcapBuilder b, String client, int cport, String server, int sport, int clientIsn, int serverIsn) {
            this.b = b;
            this.client = client;
            this.cport = cport;
            this.server = server;
            this.sport = sport;
            this.cseq = clientIsn;
            this.sseq = serverIsn;
        }

        Conv handshake() {
            raw(true, cseq, 0, SYN, new byte[0]);
            raw(false, sseq, cseq + 1, SYN | ACK, new byte[0]);
            cseq++;
            sseq++;
            raw(true, cseq, sseq, ACK, new byte[0]);
            return this;
        }

        /** A packet with explicit sequence number (does not advance the conversation). */
        Conv raw(boolean fromClient, int seq, int ack, int flags, byte[] payload) {
            return raw(fromClient, seq, ack, flags, payload, Integer.MAX_VALUE);
        }

        Conv raw(boolean fromClient, int seq, int ack, int flags, byte[] payload, int snap) {
            boolean v6 = client.indexOf(':') >= 0;
            byte[] p = fromClient
                    ? (v6 ? ipv6Tcp(client, cport, server, sport, seq, ack, flags, payload)
                            : ipv4Tcp(client, cport, server, sport, seq, ack, flags, payload))
                    : (v6 ? ipv6Tcp(server, sport, client, cport, seq, ack, flags, payload)
                            : ipv4Tcp(server, sport, client, cport, seq, ack, flags, payload));
            byte[] frame = link.apply(p);
            t += 1_000_000L;
            b.record(t, frame, Math.min(snap, frame.length));
            return this;
        }

        Conv c2s(String s) {
            return c2s(s.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        }

        Conv c2s(byte[] data) {
            raw(true, cseq, sseq, ACK | PSH, data);
            cseq += data.length;
            return this;
        }

        Conv s2c(String s) {
            return s2c(s.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        }

        Conv s2c(byte[] data) {
            raw(false, sseq, cseq, ACK | PSH, data);
            sseq += data.length;
            return this;
        }

        Conv finBoth() {
            raw(true, cseq, sseq, FIN | ACK, new byte[0]);
            cseq++;
            raw(false, sseq, cseq, FIN | ACK, new byte[0]);
            sseq++;
            raw(true, cseq, sseq, ACK, new byte[0]);
            return this;
        }

        Conv serverFin() {
            raw(false, sseq, cseq, FIN | ACK, new byte[0]);
            sseq++;
            return this;
        }

        Conv idle(long nanos) {
            t += nanos;
            return this;
        }
    }
}
