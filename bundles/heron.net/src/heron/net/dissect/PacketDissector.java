package heron.net.dissect;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Dissects one packet for display (the Packets, Packet Details and Packet Bytes views): a
 * protocol tree whose fields carry their byte ranges, plus the Source / Destination / Protocol /
 * Info columns, like Wireshark. This is the display path, run on the few packets on screen;
 * the import's hot path parses headers without building trees.
 */
public final class PacketDissector {
    /** A tree node: name, value text, byte range in the packet, children. */
    public record Field(String name, String value, int offset, int length, List<Field> children) {
        @Override
        public String toString() {
            return value == null || value.isEmpty() ? name : name + ": " + value;
        }
    }

    /** The columns and the tree of one packet. */
    public record Dissection(String source, String destination, String protocol, String info, List<Field> tree) {
    }

    private PacketDissector() {
    }

    public static Dissection dissect(byte[] p, int linkType, long frame, long timestampNanos, int originalLength) {
        List<Field> tree = new ArrayList<>();
        tree.add(new Field("Frame " + frame, p.length + " bytes captured, " + originalLength + " on the wire", 0,
                p.length, List.of()));
        Ctx c = new Ctx(p, tree);
        try {
            link(c, linkType);
        } catch (IndexOutOfBoundsException e) {
            c.protocol = c.protocol == null ? "?" : c.protocol;
            c.info = "[Packet cut short: " + (c.info == null ? "headers incomplete" : c.info) + "]";
        }
        return new Dissection(c.src == null ? "" : c.src, c.dst == null ? "" : c.dst,
                c.protocol == null ? "Unknown" : c.protocol, c.info == null ? "" : c.info, tree);
    }

    private static final class Ctx {
        final byte[] p;
        final List<Field> tree;
        String src;
        String dst;
        String protocol;
        String info;

        Ctx(byte[] p, List<Field> tree) {
            this.p = p;
            this.tree = tree;
        }

        int u8(int i) {
            if (i >= p.length) {
                throw new IndexOutOfBoundsException(i);
            }
            return p[i] & 0xff;
        }

        int u16(int i) {
            return u8(i) << 8 | u8(i + 1);
        }

        long u32(int i) {
            return (long) u16(i) << 16 | u16(i + 2);
        }

        int u16le(int i) {
            return u8(i) | u8(i + 1) << 8;
        }

        long u32le(int i) {
            return (long) u16le(i) | (long) u16le(i + 2) << 16;
        }
    }

    private static void link(Ctx c, int linkType) {
        switch (linkType) {
            case 1 -> ethernet(c, 0);
            case 113 -> {
                // Linux cooked v1: 16-byte header, protocol at 14.
                c.tree.add(new Field("Linux cooked capture v1", "", 0, 16, List.of()));
                network(c, c.u16(14), 16);
            }
            case 276 -> {
                // Linux cooked v2: 20-byte header, protocol at 0.
                c.tree.add(new Field("Linux cooked capture v2", "interface " + c.u32(4), 0, 20, List.of()));
                network(c, c.u16(0), 20);
            }
            case 0, 108 -> {
                long family = linkType == 0 ? c.u32le(0) : c.u32(0);
                c.tree.add(new Field("Null/Loopback", "family " + family, 0, 4, List.of()));
                network(c, family == 2 ? 0x0800 : 0x86DD, 4);
            }
            case 101, 12, 14, 228, 229 -> network(c, (c.u8(0) >> 4) == 6 ? 0x86DD : 0x0800, 0);
            default -> {
                c.protocol = "Link " + linkType;
                c.info = "Unsupported link type " + linkType;
            }
        }
    }

    private static void ethernet(Ctx c, int off) {
        String dst = mac(c, off);
        String src = mac(c, off + 6);
        int type = c.u16(off + 12);
        int next = off + 14;
        List<Field> kids = new ArrayList<>();
        kids.add(new Field("Destination", dst, off, 6, List.of()));
        kids.add(new Field("Source", src, off + 6, 6, List.of()));
        while (type == 0x8100 || type == 0x88A8) {
            kids.add(new Field("802.1Q VLAN", "ID " + (c.u16(next) & 0xfff), next - 2, 4, List.of()));
            type = c.u16(next + 2);
            next += 4;
        }
        kids.add(new Field("Type", String.format("0x%04x", type), next - 2, 2, List.of()));
        c.tree.add(new Field("Ethernet II", src + " → " + dst, off, next - off, kids));
        c.src = src;
        c.dst = dst;
        network(c, type, next);
    }

    private static String mac(Ctx c, int off) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 6; i++) {
            b.append(i == 0 ? "" : ":").append(String.format("%02x", c.u8(off + i)));
        }
        return b.toString();
    }

    private static void network(Ctx c, int type, int off) {
        switch (type) {
            case 0x0800 -> ipv4(c, off);
            case 0x86DD -> ipv6(c, off);
            case 0x0806 -> {
                c.protocol = "ARP";
                c.info = "ARP";
                c.tree.add(new Field("Address Resolution Protocol", "", off, c.p.length - off, List.of()));
            }
            default -> {
                c.protocol = String.format("0x%04x", type);
                c.info = "Ethertype " + c.protocol;
            }
        }
    }

    private static void ipv4(Ctx c, int off) {
        int ihl = (c.u8(off) & 0x0f) * 4;
        int total = c.u16(off + 2);
        int proto = c.u8(off + 9);
        int flagsFrag = c.u16(off + 6);
        String src = ip4(c, off + 12);
        String dst = ip4(c, off + 16);
        List<Field> kids = List.of(new Field("Header length", ihl + " bytes", off, 1, List.of()),
                new Field("Total length", Integer.toString(total), off + 2, 2, List.of()),
                new Field("TTL", Integer.toString(c.u8(off + 8)), off + 8, 1, List.of()),
                new Field("Protocol", Integer.toString(proto), off + 9, 1, List.of()),
                new Field("Source", src, off + 12, 4, List.of()), new Field("Destination", dst, off + 16, 4, List.of()));
        c.tree.add(new Field("Internet Protocol Version 4", src + " → " + dst, off, ihl, kids));
        c.src = src;
        c.dst = dst;
        c.protocol = "IPv4";
        if ((flagsFrag & 0x1fff) != 0 || (flagsFrag & 0x2000) != 0) {
            c.info = "Fragmented IP protocol (proto " + proto + ")";
            return;
        }
        int end = Math.min(c.p.length, off + Math.max(total, ihl));
        transport(c, proto, off + ihl, end);
    }

    private static String ip4(Ctx c, int off) {
        return c.u8(off) + "." + c.u8(off + 1) + "." + c.u8(off + 2) + "." + c.u8(off + 3);
    }

    private static void ipv6(Ctx c, int off) {
        int payload = c.u16(off + 4);
        int next = c.u8(off + 6);
        String src = ip6(c, off + 8);
        String dst = ip6(c, off + 24);
        c.tree.add(new Field("Internet Protocol Version 6", src + " → " + dst, off, 40,
                List.of(new Field("Payload length", Integer.toString(payload), off + 4, 2, List.of()),
                        new Field("Next header", Integer.toString(next), off + 6, 1, List.of()),
                        new Field("Hop limit", Integer.toString(c.u8(off + 7)), off + 7, 1, List.of()),
                        new Field("Source", src, off + 8, 16, List.of()),
                        new Field("Destination", dst, off + 24, 16, List.of()))));
        c.src = src;
        c.dst = dst;
        c.protocol = "IPv6";
        int at = off + 40;
        // Walk extension headers: hop-by-hop 0, routing 43, destination options 60 (RFC 8200 §4).
        while (next == 0 || next == 43 || next == 60) {
            int len = (c.u8(at + 1) + 1) * 8;
            next = c.u8(at);
            at += len;
        }
        if (next == 44) {
            c.info = "IPv6 fragment";
            return;
        }
        transport(c, next, at, Math.min(c.p.length, off + 40 + payload));
    }

    private static String ip6(Ctx c, int off) {
        try {
            byte[] a = new byte[16];
            for (int i = 0; i < 16; i++) {
                a[i] = (byte) c.u8(off + i);
            }
            return java.net.InetAddress.getByAddress(a).getHostAddress();
        } catch (java.net.UnknownHostException e) {
            return "?";
        }
    }

    private static void transport(Ctx c, int proto, int off, int end) {
        switch (proto) {
            case 6 -> tcp(c, off, end);
            case 17 -> {
                int sp = c.u16(off);
                int dp = c.u16(off + 2);
                c.protocol = "UDP";
                c.info = sp + " → " + dp + " Len=" + (c.u16(off + 4) - 8);
                c.tree.add(new Field("User Datagram Protocol", "Src Port: " + sp + ", Dst Port: " + dp, off, 8,
                        List.of()));
            }
            case 1, 58 -> {
                c.protocol = proto == 1 ? "ICMP" : "ICMPv6";
                c.info = c.protocol + " type " + c.u8(off);
                c.tree.add(new Field(c.protocol, "type " + c.u8(off) + ", code " + c.u8(off + 1), off, end - off,
                        List.of()));
            }
            default -> c.info = "IP protocol " + proto;
        }
    }

    private static void tcp(Ctx c, int off, int end) {
        int sp = c.u16(off);
        int dp = c.u16(off + 2);
        long seq = c.u32(off + 4);
        long ack = c.u32(off + 8);
        int hl = (c.u8(off + 12) >> 4) * 4;
        int flags = c.u8(off + 13);
        int win = c.u16(off + 14);
        int payload = Math.max(0, end - off - hl);
        StringBuilder f = new StringBuilder();
        String[] names = { "FIN", "SYN", "RST", "PSH", "ACK", "URG" };
        for (int i = 0; i < names.length; i++) {
            if ((flags & (1 << i)) != 0) {
                f.append(f.length() == 0 ? "" : ", ").append(names[i]);
            }
        }
        c.tree.add(new Field("Transmission Control Protocol", "Src Port: " + sp + ", Dst Port: " + dp + ", Seq: " + seq
                + ", Len: " + payload, off, hl,
                List.of(new Field("Source port", Integer.toString(sp), off, 2, List.of()),
                        new Field("Destination port", Integer.toString(dp), off + 2, 2, List.of()),
                        new Field("Sequence number (raw)", Long.toString(seq), off + 4, 4, List.of()),
                        new Field("Acknowledgment number (raw)", Long.toString(ack), off + 8, 4, List.of()),
                        new Field("Flags", "[" + f + "]", off + 13, 1, List.of()),
                        new Field("Window", Integer.toString(win), off + 14, 2, List.of()))));
        c.src = c.src + ":" + sp;
        c.dst = c.dst + ":" + dp;
        c.protocol = "TCP";
        c.info = sp + " → " + dp + " [" + f + "] Seq=" + seq + " Ack=" + ack + " Win=" + win + " Len=" + payload;
        int data = off + hl;
        if (payload > 0 && data < c.p.length) {
            int avail = Math.min(end, c.p.length) - data;
            String firstLine = firstLine(c.p, data, avail);
            if (firstLine != null) {
                c.protocol = "HTTP";
                c.info = firstLine;
                c.tree.add(new Field("Hypertext Transfer Protocol", firstLine, data, avail, List.of()));
            } else if (avail >= 3 && c.p[data] == 0x16 && c.p[data + 1] == 0x03) {
                c.protocol = "TLS";
                c.info = "TLS handshake";
            } else {
                c.tree.add(new Field("Data", payload + " bytes", data, avail, List.of()));
            }
        }
    }

    private static final String[] STARTS = { "GET ", "POST ", "PUT ", "HEAD ", "DELETE ", "PATCH ", "OPTIONS ",
            "HTTP/1." };

    /** The start line if the payload begins an HTTP/1.x message, else null. */
    static String firstLine(byte[] p, int off, int len) {
        for (String s : STARTS) {
            if (len >= s.length() && new String(p, off, s.length(), StandardCharsets.ISO_8859_1).equals(s)) {
                int eol = off;
                int max = off + Math.min(len, 300);
                while (eol < max && p[eol] != '\r' && p[eol] != '\n') {
                    eol++;
                }
                return new String(p, off, eol - off, StandardCharsets.ISO_8859_1);
            }
        }
        return null;
    }
}
