package heron.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import heron.core.capture.CaptureSourceRegistry;
import heron.core.capture.PacketStream;
import heron.core.health.PipelineHealth;
import heron.net.PcapBuilder.Conv;
import heron.testing.Corpus;

class CaptureReaderTest {
    @TempDir
    Path dir;

    private static byte[] frame(int n) {
        return PcapBuilder.ethernet(0x0800,
                PcapBuilder.ipv4Tcp("1.2.3.4", 1000 + n, "5.6.7.8", 80, n, 0, PcapBuilder.ACK, new byte[n]));
    }

    @Test
    void classicPcapIsReadInBothByteOrdersWithMicroAndNanoSeconds() throws IOException {
        for (ByteOrder o : new ByteOrder[] { ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN }) {
            for (boolean nanos : new boolean[] { false, true }) {
                PcapBuilder b = new PcapBuilder(o, nanos, 1, 65535);
                b.record(1_700_000_000_123_456_789L, frame(3)).record(1_700_000_001_000_000_001L, frame(7), 40);
                Path p = b.write(dir, "t-" + o + nanos + ".pcap");
                try (PacketStream s = NetRun.open(p)) {
                    assertTrue(s.next());
                    assertEquals(1, s.frame());
                    assertEquals(nanos ? 1_700_000_000_123_456_789L : 1_700_000_000_123_456_000L, s.timestampNanos());
                    assertEquals(24 + 16, s.fileOffset());
                    assertEquals(frame(3).length, s.capturedLength());
                    assertEquals(1, s.linkType());
                    assertEquals(frame(3).length, s.data().remaining());
                    assertTrue(s.next());
                    assertEquals(2, s.frame());
                    assertEquals(40, s.capturedLength());
                    assertEquals(frame(7).length, s.originalLength());
                    assertEquals(24 + 16 + frame(3).length + 16, s.fileOffset());
                    assertFalse(s.next());
                    assertEquals(nanos ? "pcap-ns" : "pcap", s.format());
                    assertFalse(s.damage().any());
                }
            }
        }
    }

    @Test
    void pcapngWithSeveralInterfacesSectionsAndByteOrders() throws IOException {
        PcapNgBuilder b = new PcapNgBuilder();
        byte[] raw = PcapBuilder.ipv4Tcp("1.2.3.4", 1, "5.6.7.8", 80, 1, 0, PcapBuilder.ACK, new byte[0]);
        b.section(ByteOrder.LITTLE_ENDIAN).iface(1, -1).iface(101, 9);
        b.epb(0, 1_700_000_000_000_001L, frame(1)); // microseconds (default resolution)
        b.custom(0x00000BAD, new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 }); // custom block: skipped
        b.custom(0x12345678, new byte[12]); // unknown block type: skipped
        b.epb(1, 1_700_000_000_000_000_002L, raw); // nanoseconds
        b.spb(frame(2));
        b.section(ByteOrder.BIG_ENDIAN).iface(113, 0x83); // 2^-3 s resolution
        byte[] sll = new byte[16 + raw.length];
        sll[14] = 0x08;
        System.arraycopy(raw, 0, sll, 16, raw.length);
        b.epb(0, 8L * 1_700_000_000L + 4, sll);
        Path p = dir.resolve("multi.pcapng");
        Files.write(p, b.bytes());
        List<long[]> seen = new ArrayList<>();
        try (PacketStream s = NetRun.open(p)) {
            while (s.next()) {
                seen.add(new long[] { s.frame(), s.linkType(), s.timestampNanos(), s.capturedLength() });
            }
            assertEquals("pcapng", s.format());
            assertFalse(s.damage().any(), s.damage().toString());
        }
        assertEquals(4, seen.size());
        assertEquals(1, seen.get(0)[1]);
        assertEquals(1_700_000_000_000_001_000L, seen.get(0)[2]);
        assertEquals(101, seen.get(1)[1]);
        assertEquals(1_700_000_000_000_000_002L, seen.get(1)[2]);
        assertEquals(1, seen.get(2)[1], "SPB belongs to interface 0");
        assertEquals(frame(2).length, seen.get(2)[3]);
        assertEquals(113, seen.get(3)[1]);
        assertEquals(1_700_000_000_500_000_000L, seen.get(3)[2]);
        assertEquals(4, seen.get(3)[0]);
        NetRun r = NetRun.of(p);
        assertEquals(4, r.count(PipelineHealth.PACKETS_TCP_NO_PAYLOAD) + r.count(PipelineHealth.PACKETS_TCP));
        assertEquals(java.util.Set.of(1, 101, 113), r.result.linkTypes());
    }

    @Test
    void registryFromPlatformOpensBothFormats() throws IOException {
        Path td = Corpus.testdata();
        CaptureSourceRegistry reg = CaptureSourceRegistry.fromPlatform();
        try (PacketStream s = reg.open(td.resolve("cc-turn-2tools.pcap"))) {
            assertTrue(s.next());
            assertEquals("pcap", s.format());
        }
        try (PacketStream s = reg.open(td.resolve("edge-pcapng.pcapng"))) {
            assertTrue(s.next());
            assertEquals("pcapng", s.format());
        }
    }

    /** Each link type carries the same small exchange. */
    @Test
    void everySupportedLinkTypeYieldsTheExchange() throws IOException {
        record Case(int linkType, String client, String server, java.util.function.UnaryOperator<byte[]> link) {
        }
        List<Case> cases = List.of(
                new Case(1, "10.1.1.1", "10.1.1.2", ip -> qinq(ip)),
                new Case(113, "10.1.1.1", "10.1.1.2", ip -> sll(ip)),
                new Case(276, "10.1.1.1", "10.1.1.2", ip -> sll2(ip)),
                new Case(101, "10.1.1.1", "10.1.1.2", ip -> ip),
                new Case(12, "10.1.1.1", "10.1.1.2", ip -> ip),
                new Case(14, "10.1.1.1", "10.1.1.2", ip -> ip),
                new Case(228, "10.1.1.1", "10.1.1.2", ip -> ip),
                new Case(229, "2001:db8::1", "2001:db8::2", ip -> ip),
                new Case(0, "10.1.1.1", "10.1.1.2", ip -> prefix(ip, new byte[] { 2, 0, 0, 0 })),
                new Case(0, "2001:db8::1", "2001:db8::2", ip -> prefix(ip, new byte[] { 30, 0, 0, 0 })),
                new Case(108, "10.1.1.1", "10.1.1.2", ip -> prefix(ip, new byte[] { 0, 0, 0, 2 })),
                new Case(1, "fe80::1", "fe80::2:0:0:3", ip -> qinq(ip)));
        int i = 0;
        for (Case k : cases) {
            PcapBuilder b = new PcapBuilder(ByteOrder.LITTLE_ENDIAN, false, k.linkType(), 65535);
            Conv c = new Conv(b, k.client(), 40000, k.server(), 80, 7, 9);
            c.link = k.link();
            c.handshake().c2s("GET /lt HTTP/1.1\r\n\r\n").s2c("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok").finBoth();
            NetRun r = NetRun.of(b.write(dir, "lt" + (i++) + ".pcap"));
            String what = "link type " + k.linkType() + " " + k.client();
            assertEquals(1, r.exchanges.size(), what + " " + r.health.snapshot());
            assertEquals("ok", r.exchanges.get(0).response().body().text(), what);
            String expectClient = k.client().indexOf(':') >= 0 ? "[" + k.client() + "]:40000" : k.client() + ":40000";
            assertEquals(expectClient, r.exchanges.get(0).client().toString(), what);
        }
    }

    @Test
    void ipFragmentsAndNonTcpPacketsAreCounted() throws IOException {
        PcapBuilder b = new PcapBuilder();
        byte[] frag = PcapBuilder.ipv4Tcp("1.1.1.1", 1, "2.2.2.2", 2, 0, 0, 0, new byte[8]);
        frag[6] = 0x20; // more fragments
        byte[] udp = PcapBuilder.ipv4Tcp("1.1.1.1", 1, "2.2.2.2", 2, 0, 0, 0, new byte[8]);
        udp[9] = 17;
        b.record(1_000, PcapBuilder.ethernet(0x0800, frag));
        b.record(2_000, PcapBuilder.ethernet(0x0800, udp));
        b.record(3_000, PcapBuilder.ethernet(0x0806, new byte[28])); // ARP
        b.record(4_000, PcapBuilder.ethernet(0x0800, new byte[10])); // cut IP header
        NetRun r = NetRun.of(b.write(dir, "misc.pcap"));
        assertEquals(1, r.count(PipelineHealth.PACKETS_IP_FRAGMENT));
        assertEquals(1, r.count(PipelineHealth.PACKETS_NON_TCP));
        assertEquals(1, r.count(PipelineHealth.PACKETS_NON_IP));
        assertEquals(1, r.count(PipelineHealth.PACKETS_MALFORMED));
        assertEquals(4, r.count(PipelineHealth.PACKETS_TOTAL));
    }

    static byte[] prefix(byte[] ip, byte[] head) {
        return TcpReassemblyTest.cat(head, ip);
    }

    static byte[] qinq(byte[] ip) {
        ByteBuffer b = ByteBuffer.allocate(14 + 8 + ip.length);
        b.put(new byte[12]).putShort((short) 0x88A8).putShort((short) 10).putShort((short) 0x8100).putShort((short) 20)
                .putShort((short) ((ip[0] >> 4) == 6 ? 0x86DD : 0x0800)).put(ip);
        return b.array();
    }

    static byte[] sll(byte[] ip) {
        ByteBuffer b = ByteBuffer.allocate(16 + ip.length);
        b.putShort((short) 0).putShort((short) 1).putShort((short) 6).put(new byte[8])
                .putShort((short) ((ip[0] >> 4) == 6 ? 0x86DD : 0x0800)).put(ip);
        return b.array();
    }

    static byte[] sll2(byte[] ip) {
        ByteBuffer b = ByteBuffer.allocate(20 + ip.length);
        b.putShort((short) ((ip[0] >> 4) == 6 ? 0x86DD : 0x0800)).putShort((short) 0).putInt(1).putShort((short) 1)
                .put((byte) 0).put((byte) 6).put(new byte[8]).put(ip);
        return b.array();
    }

    @Test
    void unreadableHeadersThrowFromOpen() throws IOException {
        Path tiny = dir.resolve("tiny.pcap");
        Files.write(tiny, new byte[] { (byte) 0xd4, (byte) 0xc3, (byte) 0xb2, (byte) 0xa1, 2, 0 });
        assertThrows(IOException.class, () -> new heron.net.pcap.PcapFileSource().open(tiny));
        Path random = dir.resolve("random.bin");
        byte[] junk = new byte[4096];
        new java.util.Random(7).nextBytes(junk);
        junk[0] = 0;
        Files.write(random, junk);
        assertThrows(IOException.class, () -> new heron.net.pcap.PcapFileSource().open(random));
        assertThrows(IOException.class, () -> new heron.net.pcap.PcapNgFileSource().open(random));
        IOException e = assertThrows(IOException.class, () -> CaptureSourceRegistry.fromPlatform().open(random));
        assertTrue(e.getMessage().contains("not a capture file"), e.getMessage());
    }
}
