package heron.capture.live;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.pcap4j.core.BpfProgram.BpfCompileMode;
import org.pcap4j.core.NotOpenException;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapHandle.BlockingMode;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.PcapNetworkInterface;
import org.pcap4j.core.PcapNetworkInterface.PromiscuousMode;
import org.pcap4j.core.Pcaps;

import heron.core.capture.CaptureDamage;
import heron.core.capture.PacketStream;

/**
 * Live capture from a local interface through libpcap (pcap4j over JNA), as a {@link PacketStream}
 * that feeds the same pipeline as a file. Every packet is also appended to a pcapng file, and
 * {@link #fileOffset()} is its offset there, so the capture can be re-opened and packet bytes read
 * back later exactly as for an imported file.
 * <p>
 * {@link #next()} blocks until a packet arrives or {@link #stop()} is called (from any thread);
 * the handle is non-blocking and polled every few ms while idle, so stopping is prompt.
 */
public final class LiveCapture implements PacketStream {
    /** What an interface chooser shows. */
    public record Interface(String name, String description, List<String> addresses, boolean loopback) {
    }

    private static final int SNAPLEN = 262_144;
    private static final int READ_TIMEOUT_MS = 100;
    private static final int IDLE_POLL_MS = 5;

    private final PcapHandle handle;
    private final PcapNgWriter writer;
    private final int linkType;
    private final CaptureDamage damage = new CaptureDamage();
    private volatile boolean stopRequested;
    private long frame;
    private long timestampNanos;
    private long fileOffset;
    private int capturedLength;
    private int originalLength;
    private ByteBuffer data;
    private long bytes;
    private boolean unflushed;

    private LiveCapture(PcapHandle handle, PcapNgWriter writer, int linkType) {
        this.handle = handle;
        this.writer = writer;
        this.linkType = linkType;
    }

    /** The interfaces libpcap can capture on. */
    public static List<Interface> interfaces() throws LiveCaptureException {
        try {
            List<Interface> out = new ArrayList<>();
            for (PcapNetworkInterface nif : Pcaps.findAllDevs()) {
                List<String> addrs = new ArrayList<>();
                nif.getAddresses().forEach(a -> {
                    if (a.getAddress() != null) {
                        addrs.add(a.getAddress().getHostAddress());
                    }
                });
                out.add(new Interface(nif.getName(), nif.getDescription(), addrs, nif.isLoopBack()));
            }
            return out;
        } catch (PcapNativeException | RuntimeException | LinkageError e) {
            throw explain(e, null);
        }
    }

    /**
     * Opens the interface, applies the BPF filter (may be null or blank) and starts writing
     * {@code pcapngFile}.
     */
    public static LiveCapture start(String interfaceName, String bpfFilter, Path pcapngFile)
            throws LiveCaptureException {
        PcapHandle handle = null;
        try {
            PcapNetworkInterface nif = Pcaps.getDevByName(interfaceName);
            if (nif == null) {
                throw new LiveCaptureException("No capture interface named '" + interfaceName + "'.", null);
            }
            handle = nif.openLive(SNAPLEN, PromiscuousMode.NONPROMISCUOUS, READ_TIMEOUT_MS);
            // Non-blocking reads: with Linux TPACKET_V3 a blocking read may not return on its
            // timeout while the interface is idle, and then stop() would hang.
            handle.setBlockingMode(BlockingMode.NONBLOCKING);
            if (bpfFilter != null && !bpfFilter.isBlank()) {
                try {
                    handle.setFilter(bpfFilter, BpfCompileMode.OPTIMIZE);
                } catch (PcapNativeException e) {
                    throw new LiveCaptureException("The capture filter '" + bpfFilter + "' is not valid BPF syntax: "
                            + e.getMessage(), e);
                }
            }
            int dlt = handle.getDlt().value();
            PcapNgWriter writer = new PcapNgWriter(pcapngFile, dlt, SNAPLEN, interfaceName);
            return new LiveCapture(handle, writer, dlt);
        } catch (LiveCaptureException e) {
            closeQuietly(handle);
            throw e;
        } catch (PcapNativeException | NotOpenException | IOException | RuntimeException | LinkageError e) {
            closeQuietly(handle);
            throw explain(e, interfaceName);
        }
    }

    private static void closeQuietly(PcapHandle h) {
        if (h != null && h.isOpen()) {
            h.close();
        }
    }

    /** Turns libpcap/JNA failures into messages that say what to do. */
    static LiveCaptureException explain(Throwable e, String interfaceName) {
        String msg = String.valueOf(e.getMessage());
        String lower = msg.toLowerCase(Locale.ROOT);
        if (e instanceof UnsatisfiedLinkError || lower.contains("unable to load library")) {
            return new LiveCaptureException("Live capture needs libpcap, which could not be loaded. Install it "
                    + "(Debian/Ubuntu: apt-get install libpcap0.8; Fedora: dnf install libpcap) and restart Heron. ("
                    + msg + ")", e);
        }
        if (lower.contains("permission") || lower.contains("not permitted")) {
            return new LiveCaptureException("No permission to capture" + (interfaceName == null ? "" : " on "
                    + interfaceName) + ". Run Heron as root, or grant the Java runtime the capture capabilities: "
                    + "sudo setcap cap_net_raw,cap_net_admin=eip \"$(readlink -f \"$(command -v java)\")\". (" + msg
                    + ")", e);
        }
        if (e instanceof LinkageError) {
            return new LiveCaptureException("Heron's live-capture support is incomplete in this installation (" + msg
                    + "); reinstall Heron.", e);
        }
        if (e instanceof IOException) {
            return new LiveCaptureException("Cannot write the capture file: " + msg, e);
        }
        return new LiveCaptureException("Live capture failed" + (interfaceName == null ? "" : " on "
                + interfaceName) + ": " + msg, e);
    }

    /** Asks the capture to end; {@link #next()} then returns false within the read timeout. */
    public void stop() {
        stopRequested = true;
    }

    public boolean isStopped() {
        return stopRequested;
    }

    @Override
    public boolean next() throws IOException {
        while (!stopRequested) {
            byte[] raw;
            try {
                raw = handle.getNextRawPacket();
            } catch (NotOpenException e) {
                return false;
            }
            if (raw == null) {
                if (unflushed) {
                    // Bodies are re-assembled from this file on demand while the capture runs
                    // (ADR 0006): what was captured must be readable there once traffic pauses.
                    writer.flush();
                    unflushed = false;
                }
                idle(); // nothing buffered: wait a little, then look at the stop flag again
                continue;
            }
            frame++;
            java.sql.Timestamp ts = handle.getTimestamp();
            timestampNanos = ts.getTime() / 1000 * 1_000_000_000L + ts.getNanos();
            capturedLength = raw.length;
            originalLength = Math.max(handle.getOriginalLength(), raw.length);
            fileOffset = writer.write(timestampNanos, raw, originalLength);
            unflushed = true;
            data = ByteBuffer.wrap(raw);
            bytes += raw.length;
            return true;
        }
        writer.flush();
        return false;
    }

    private static void idle() throws IOException {
        try {
            Thread.sleep(IDLE_POLL_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("live capture interrupted");
        }
    }

    @Override
    public long frame() {
        return frame;
    }

    @Override
    public long timestampNanos() {
        return timestampNanos;
    }

    @Override
    public long fileOffset() {
        return fileOffset;
    }

    @Override
    public int capturedLength() {
        return capturedLength;
    }

    @Override
    public int originalLength() {
        return originalLength;
    }

    @Override
    public int linkType() {
        return linkType;
    }

    @Override
    public ByteBuffer data() {
        return data;
    }

    @Override
    public String format() {
        return "pcapng";
    }

    @Override
    public long position() {
        return bytes;
    }

    @Override
    public CaptureDamage damage() {
        return damage;
    }

    @Override
    public void close() throws IOException {
        stopRequested = true;
        closeQuietly(handle);
        writer.close();
    }
}
