package heron.capture.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;

/**
 * Real live capture on the loopback interface (CI runs as root). A JDK HTTP server answers an SSE
 * stream; the capture must see and record it.
 */
class LiveCaptureTest {

    /**
     * Live capture needs root (or CAP_NET_RAW). As root (CI) a failure to list interfaces is a
     * real failure, not a reason to skip.
     */
    static boolean canCapture() throws LiveCaptureException {
        if (!"root".equals(System.getProperty("user.name"))) {
            return false;
        }
        assertTrue(LiveCapture.interfaces().stream().anyMatch(i -> i.name().equals("lo")), "no loopback interface");
        return true;
    }

    static HttpServer sseServer() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v1/stream", ex -> {
            ex.getRequestBody().readAllBytes();
            ex.getResponseHeaders().add("Content-Type", "text/event-stream");
            ex.sendResponseHeaders(200, 0);
            try (OutputStream os = ex.getResponseBody()) {
                for (int i = 0; i < 3; i++) {
                    os.write(("data: {\"n\":" + i + "}\n\n").getBytes(StandardCharsets.UTF_8));
                    os.flush();
                }
            }
        });
        server.start();
        return server;
    }

    static void post(int port) throws IOException {
        HttpURLConnection c = (HttpURLConnection) new URL("http://127.0.0.1:" + port + "/v1/stream").openConnection();
        c.setRequestMethod("POST");
        c.setDoOutput(true);
        c.getOutputStream().write("{\"model\":\"m\",\"stream\":true}".getBytes(StandardCharsets.UTF_8));
        try (InputStream in = c.getInputStream()) {
            in.readAllBytes();
        }
    }

    @Test
    void capturesLoopbackHttpTrafficIntoAPcapngFile() throws Exception {
        Assumptions.assumeTrue(canCapture(), "live capture tests need root (CI runs as root)");
        HttpServer server = sseServer();
        int port = server.getAddress().getPort();
        Path out = Files.createTempFile("heron-live", ".pcapng");
        AtomicLong packets = new AtomicLong();
        try (LiveCapture cap = LiveCapture.start("lo", "tcp port " + port, out)) {
            Thread reader = new Thread(() -> {
                try {
                    while (cap.next()) {
                        packets.incrementAndGet();
                        assertEquals(cap.capturedLength(), cap.data().remaining());
                    }
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            reader.start();
            Thread.sleep(300); // libpcap needs a moment before the first packet is seen
            post(port);
            Thread.sleep(500);
            cap.stop();
            reader.join(5_000);
            assertTrue(!reader.isAlive(), "stop() did not end next()");
        } finally {
            server.stop(0);
        }
        assertTrue(packets.get() >= 8, "too few packets: " + packets.get());
        String text = new String(Files.readAllBytes(out), StandardCharsets.ISO_8859_1);
        assertTrue(text.startsWith("\n\r\r\n"), "not a pcapng section header");
        assertTrue(text.contains("POST /v1/stream HTTP/1.1"), "request not captured");
        assertTrue(text.contains("data: {\"n\":2}"), "SSE events not captured");
        Files.delete(out);
    }

    @Test
    void invalidFilterGivesClearError() throws Exception {
        Assumptions.assumeTrue(canCapture(), "live capture tests need root (CI runs as root)");
        LiveCaptureException e = assertThrows(LiveCaptureException.class,
                () -> LiveCapture.start("lo", "tcp port banana", Files.createTempFile("x", ".pcapng")));
        assertTrue(e.getMessage().contains("not valid BPF syntax"), e.getMessage());
    }

    @Test
    void unknownInterfaceGivesClearError() throws Exception {
        Assumptions.assumeTrue(canCapture(), "live capture tests need root (CI runs as root)");
        LiveCaptureException e = assertThrows(LiveCaptureException.class,
                () -> LiveCapture.start("nosuchif0", null, Files.createTempFile("x", ".pcapng")));
        assertTrue(e.getMessage().contains("nosuchif0"), e.getMessage());
    }

    @Test
    void permissionAndLibraryProblemsAreExplained() {
        assertTrue(LiveCapture.explain(new UnsatisfiedLinkError("Unable to load library 'pcap'"), "eth0").getMessage()
                .contains("apt-get install libpcap0.8"));
        assertTrue(LiveCapture.explain(new RuntimeException("eth0: You don't have permission to capture on that device"),
                "eth0").getMessage().contains("setcap cap_net_raw,cap_net_admin=eip"));
        assertTrue(LiveCapture.explain(new NoClassDefFoundError("org/slf4j/LoggerFactory"), null).getMessage()
                .contains("reinstall Heron"));
    }
}
