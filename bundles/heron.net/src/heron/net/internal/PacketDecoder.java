package heron.net.internal;

import java.nio.ByteBuffer;

/**
 * Decodes link, IP and TCP headers of one packet in place (absolute big-endian reads, no copies,
 * no allocation). The result fields describe the last decoded packet.
 */
public final class PacketDecoder {
    public static final int TCP = 0, NON_TCP = 1, NON_IP = 2, UNSUPPORTED_LINK = 3, MALFORMED = 4, FRAGMENT = 5;

    public static final int FIN = 0x01, SYN = 0x02, RST = 0x04, ACK = 0x10;

    // LINKTYPE_* numbers (tcpdump.org link-layer header types)
    static final int LT_NULL = 0, LT_ETHERNET = 1, LT_RAW_DLT12 = 12, LT_RAW_DLT14 = 14, LT_RAW = 101,
            LT_LOOP = 108, LT_SLL = 113, LT_IPV4 = 228, LT_IPV6 = 229, LT_SLL2 = 276;

    public long srcHi, srcLo, dstHi, dstLo;
    public int srcPort, dstPort;
    public int seq, ack, flags;
    /** Absolute index of the TCP payload in the buffer, captured payload length, payload length on the wire. */
    public int payloadOff, payloadLen, wirePayloadLen;
    public boolean ipv6;

    /** Decodes; returns one of the result kinds. {@code buf} must be big-endian or is read as such. */
    public int decode(ByteBuffer buf, int linkType) {
        return decode(buf, buf.position(), buf.limit(), linkType);
    }

    /** Decodes the packet at buf[p, end) (absolute indexes; position and limit are not used). */
    public int decode(ByteBuffer buf, int p, int end, int linkType) {
        int etherType;
        switch (linkType) {
            case LT_ETHERNET -> {
                if (end - p < 14) {
                    return MALFORMED;
                }
                etherType = u16(buf, p + 12);
                p += 14;
                // 802.1Q / 802.1ad (QinQ) / legacy 0x9100 tags, any depth
                while (etherType == 0x8100 || etherType == 0x88A8 || etherType == 0x9100) {
                    if (end - p < 4) {
                        return MALFORMED;
                    }
                    etherType = u16(buf, p + 2);
                    p += 4;
                }
                if (etherType == 0x8847 || etherType == 0x8848) {
                    // MPLS label stack: skip to bottom of stack, then guess IP version by nibble
                    while (true) {
                        if (end - p < 4) {
                            return MALFORMED;
                        }
                        boolean bottom = (buf.get(p + 2) & 1) != 0;
                        p += 4;
                        if (bottom) {
                            break;
                        }
                    }
                    return byVersion(buf, p, end);
                }
            }
            case LT_SLL -> {
                if (end - p < 16) {
                    return MALFORMED;
                }
                etherType = u16(buf, p + 14);
                p += 16;
            }
            case LT_SLL2 -> {
                if (end - p < 20) {
                    return MALFORMED;
                }
                etherType = u16(buf, p);
                p += 20;
            }
            case LT_RAW, LT_RAW_DLT12, LT_RAW_DLT14, LT_IPV4, LT_IPV6 -> {
                return byVersion(buf, p, end);
            }
            case LT_NULL, LT_LOOP -> {
                // 4-byte address family in host (NULL) or network (LOOP) byte order; the values
                // differ between OSes (AF_INET6 = 10, 24, 28, 30), so trust the IP version nibble
                if (end - p < 4) {
                    return MALFORMED;
                }
                return byVersion(buf, p + 4, end);
            }
            default -> {
                return UNSUPPORTED_LINK;
            }
        }
        if (etherType == 0x0800) {
            return ipv4(buf, p, end);
        }
        if (etherType == 0x86DD) {
            return ipv6(buf, p, end);
        }
        return NON_IP;
    }

    private int byVersion(ByteBuffer buf, int p, int end) {
        if (end - p < 1) {
            return MALFORMED;
        }
        int v = (buf.get(p) & 0xF0) >> 4;
        return v == 4 ? ipv4(buf, p, end) : v == 6 ? ipv6(buf, p, end) : NON_IP;
    }

    private int ipv4(ByteBuffer buf, int p, int end) {
        if (end - p < 20) {
            return MALFORMED;
        }
        int ihl = (buf.get(p) & 0x0F) * 4;
        int total = u16(buf, p + 2);
        if (ihl < 20 || end - p < ihl) {
            return MALFORMED;
        }
        int frag = u16(buf, p + 6);
        if ((frag & 0x3FFF) != 0) {
            // more-fragments set or non-zero offset: not reassembled (counted)
            return FRAGMENT;
        }
        int proto = buf.get(p + 9) & 0xFF;
        ipv6 = false;
        srcHi = 0;
        dstHi = 0;
        srcLo = 0xFFFF00000000L | (buf.getInt(p + 12) & 0xFFFFFFFFL);
        dstLo = 0xFFFF00000000L | (buf.getInt(p + 16) & 0xFFFFFFFFL);
        if (proto != 6) {
            return NON_TCP;
        }
        // total length 0 appears with TCP segmentation offload: fall back to what was captured
        int wireIpPayload = total >= ihl ? total - ihl : -1;
        return tcp(buf, p + ihl, end, total == 0 ? -1 : wireIpPayload);
    }

    private int ipv6(ByteBuffer buf, int p, int end) {
        if (end - p < 40) {
            return MALFORMED;
        }
        int plen = u16(buf, p + 4);
        int next = buf.get(p + 6) & 0xFF;
        ipv6 = true;
        srcHi = buf.getLong(p + 8);
        srcLo = buf.getLong(p + 16);
        dstHi = buf.getLong(p + 24);
        dstLo = buf.getLong(p + 32);
        int q = p + 40;
        int remaining = plen; // payload length counts extension headers too
        // walk extension headers
        for (int guard = 0; guard < 16; guard++) {
            switch (next) {
                case 0, 43, 60, 135, 139, 140 -> { // hop-by-hop, routing, destination options, mobility, HIP, shim6
                    if (end - q < 8) {
                        return MALFORMED;
                    }
                    int hl = ((buf.get(q + 1) & 0xFF) + 1) * 8;
                    next = buf.get(q) & 0xFF;
                    q += hl;
                    remaining -= hl;
                }
                case 51 -> { // AH: length in 4-byte units minus 2
                    if (end - q < 8) {
                        return MALFORMED;
                    }
                    int hl = ((buf.get(q + 1) & 0xFF) + 2) * 4;
                    next = buf.get(q) & 0xFF;
                    q += hl;
                    remaining -= hl;
                }
                case 44 -> { // fragment header
                    if (end - q < 8) {
                        return MALFORMED;
                    }
                    int off = u16(buf, q + 2);
                    if ((off & 0xFFF9) != 0) { // offset != 0 or M flag set; atomic fragments pass
                        return FRAGMENT;
                    }
                    next = buf.get(q) & 0xFF;
                    q += 8;
                    remaining -= 8;
                }
                case 6 -> {
                    if (q > end) {
                        return MALFORMED;
                    }
                    return tcp(buf, q, end, plen == 0 ? -1 : remaining);
                }
                default -> {
                    return NON_TCP;
                }
            }
        }
        return MALFORMED;
    }

    private int tcp(ByteBuffer buf, int p, int end, int wireLen) {
        if (end - p < 20) {
            return MALFORMED;
        }
        int off = ((buf.get(p + 12) & 0xF0) >> 4) * 4;
        if (off < 20 || end - p < off) {
            return MALFORMED;
        }
        srcPort = u16(buf, p);
        dstPort = u16(buf, p + 2);
        seq = buf.getInt(p + 4);
        ack = buf.getInt(p + 8);
        flags = buf.get(p + 13) & 0xFF;
        payloadOff = p + off;
        int captured = end - payloadOff;
        if (wireLen >= 0) {
            if (wireLen < off) {
                return MALFORMED;
            }
            wirePayloadLen = wireLen - off;
            // Ethernet padding follows short packets: the IP length bounds the payload
            payloadLen = Math.min(captured, wirePayloadLen);
        } else {
            wirePayloadLen = captured;
            payloadLen = captured;
        }
        return TCP;
    }

    private static int u16(ByteBuffer b, int i) {
        return b.getShort(i) & 0xFFFF;
    }

}
