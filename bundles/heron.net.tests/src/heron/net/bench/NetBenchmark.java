package heron.net.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.LongAdder;

import heron.core.capture.PacketStream;
import heron.core.health.PipelineHealth;
import heron.core.model.Connection;
import heron.core.model.HttpExchange;
import heron.net.NetOptions;
import heron.net.NetPipeline;
import heron.net.NetResult;
import heron.net.NetSink;
import heron.net.pcap.PcapFileSource;
import heron.net.pcap.PcapNgFileSource;

/**
 * Throughput benchmark of {@link NetPipeline} (not run by the build). Prints MB/s, packets/s,
 * exchanges and peak heap for 1 and 2 workers, best of N passes after a warm-up pass.
 * <p>
 * Input: {@code make-big-pcap --calls 135000 --out /tmp/big.pcap} (about 1 GB). Run from the
 * worktree after a build, e.g.
 * <pre>
 * java -cp bundles/heron.core/target/classes:bundles/heron.net/target/classes:\
 *   bundles/heron.net.tests/target/classes:$EQUINOX_COMMON_JAR heron.net.bench.NetBenchmark /tmp/big.pcap 3
 * </pre>
 * The sink counts exchanges and SSE events and drops them, so the numbers measure ingest only.
 * Arguments: file, passes (default 3), worker counts (default "1,2"). {@code -Dheron.bench.noFloor=true}
 * skips the read-only floor (for profiling the pipeline alone); {@code -Dheron.bench.packets=true}
 * makes the sink take a packet record per packet, as the importer does.
 */
public final class NetBenchmark {
    private NetBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        Path file = Path.of(args.length > 0 ? args[0] : "/tmp/big.pcap");
        int passes = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        long size = Files.size(file);
        System.out.printf("file %s: %.1f MB, java %s, %d cpus%n", file, size / 1e6, System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors());
        int[] workerCounts = args.length > 2 ? java.util.Arrays.stream(args[2].split(",")).mapToInt(Integer::parseInt).toArray()
                : new int[] { 1, 2 };
        if (passes > 0 && !Boolean.getBoolean("heron.bench.noFloor")) {
            floor(file, size, passes);
        }
        for (int workers : workerCounts) {
            pass(file, workers, size, "warm-up");
            double best = Double.MAX_VALUE;
            double bestThread = Double.MAX_VALUE;
            String line = null;
            for (int i = 0; i < passes; i++) {
                resetPeaks();
                long t0 = System.nanoTime();
                double cpu0 = processCpuSeconds();
                long th0 = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
                long al0 = allocatedBytes();
                long[] out = run(file, workers);
                double s = (System.nanoTime() - t0) / 1e9;
                double cpu = processCpuSeconds() - cpu0;
                long allocated = allocatedBytes() - al0;
                double th = (ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - th0) / 1e9;
                bestThread = Math.min(bestThread, th);
                if (s < best) {
                    best = s;
                    line = String.format(
                            "workers=%d  %.3f s wall (%.0f MB/s, %.2f M packets/s), %.2f s process CPU (%.0f MB per CPU-second),"
                                    + " reading thread CPU %.3f s (%.0f MB/s)"
                                    + "  packets=%d exchanges=%d sse=%d  peak heap %.0f MB, reading thread allocated %.0f MB",
                            workers, s, size / 1e6 / s, out[0] / 1e6 / s, cpu, size / 1e6 / cpu, th, size / 1e6 / th,
                            out[0], out[1], out[2], peakHeap() / 1e6, allocated / 1e6)
                            + (lastThreadCpu.isEmpty() ? "" : "; other threads: " + lastThreadCpu);
                }
            }
            if (line != null) {
                // on a shared machine the least reading-thread CPU of the passes is the steadiest figure
                System.out.println(line + String.format("; least reading-thread CPU of %d passes %.3f s", passes, bestThread));
            }
        }
    }

    /**
     * The floor under the same machine conditions: only walk the records of the mapped file and
     * touch each packet's first payload-side byte (no decoding, no reassembly).
     */
    private static void floor(Path file, long size, int passes) throws IOException {
        double best = Double.MAX_VALUE;
        double bestCpu = 0;
        long sum = 0;
        for (int i = 0; i <= passes; i++) {
            long t0 = System.nanoTime();
            long th0 = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
            try (PacketStream ps = open(file)) {
                while (ps.next()) {
                    ByteBuffer b = ps.data();
                    sum += b.get(b.position() + Math.min(20, b.remaining() - 1));
                }
            }
            double s = (System.nanoTime() - t0) / 1e9;
            if (i > 0 && s < best) {
                best = s;
                bestCpu = (ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - th0) / 1e9;
            }
        }
        System.out.printf("read only (record walk of the mapped file): %.3f s wall (%.0f MB/s), thread CPU %.3f s [%d]%n",
                best, size / 1e6 / best, bestCpu, sum & 1);
    }

    private static PacketStream open(Path file) throws IOException {
        byte[] head = new byte[64];
        try (var in = Files.newInputStream(file)) {
            in.readNBytes(head, 0, 64);
        }
        PcapNgFileSource ng = new PcapNgFileSource();
        return ng.accepts(ByteBuffer.wrap(head)) ? ng.open(file) : new PcapFileSource().open(file);
    }

    private static void pass(Path file, int workers, long size, String label) throws IOException {
        long t0 = System.nanoTime();
        long th0 = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
        long[] out = run(file, workers);
        double s = (System.nanoTime() - t0) / 1e9;
        double th = (ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - th0) / 1e9;
        System.out.printf("  %s workers=%d %.3f s (%.0f MB/s), reading thread CPU %.3f s, JVM uptime %.2f s, exchanges=%d sse=%d%n",
                label, workers, s, size / 1e6 / s, th, ManagementFactory.getRuntimeMXBean().getUptime() / 1e3, out[1],
                out[2]);
    }

    /** CPU time of the other threads that reported results in the last run (a walker's whole run). */
    private static String lastThreadCpu = "";

    private static long[] run(Path file, int workers) throws IOException {
        LongAdder exchanges = new LongAdder();
        LongAdder events = new LongAdder();
        LongAdder packets = new LongAdder();
        java.util.Map<String, Long> cpu = new java.util.concurrent.ConcurrentHashMap<>();
        class Counting implements NetSink {
            @Override
            public void exchange(HttpExchange x) {
                exchanges.increment();
                if (x.response() != null) {
                    events.add(x.response().events().size());
                }
            }

            @Override
            public void connection(Connection c) {
                // the CPU time of each other thread that parses: connections are reported until
                // its end (sampled: every 32nd id; the reading thread is measured by the caller)
                if ((c.id() & 31) == 0 && Thread.currentThread().getName().startsWith("heron-")) {
                    cpu.merge(Thread.currentThread().getName(),
                            ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime(), Math::max);
                }
            }
        }
        // With -Dheron.bench.packets=true the sink also takes a packet record per packet (frame
        // index), as the importer does for heron analyze and the workbench: the pipeline only
        // builds them for a sink that overrides packet().
        NetSink sink = !Boolean.getBoolean("heron.bench.packets") ? new Counting() : new Counting() {
            @Override
            public void packet(heron.core.model.PacketRecord p) {
                packets.increment();
            }
        };
        try (PacketStream ps = open(file)) {
            NetResult r = NetPipeline.run(ps, NetOptions.defaults().withWorkers(workers), sink, new PipelineHealth(),
                    null);
            lastThreadCpu = cpu.entrySet().stream().filter(e -> !e.getKey().equals(Thread.currentThread().getName()))
                    .map(e -> String.format("%s %.3f s", e.getKey(), e.getValue() / 1e9)).sorted()
                    .collect(java.util.stream.Collectors.joining(", "));
            return new long[] { r.packets(), exchanges.sum(), events.sum() };
        }
    }

    /**
     * Bytes allocated by the calling thread so far (HotSpot's com.sun.management extension, looked
     * up reflectively so the test bundle needs no import of it), or 0 where not available. With
     * one worker everything the pipeline allocates is allocated by the reading thread.
     */
    private static long allocatedBytes() {
        try {
            Object bean = ManagementFactory.getThreadMXBean();
            return (Long) Class.forName("com.sun.management.ThreadMXBean").getMethod("getCurrentThreadAllocatedBytes")
                    .invoke(bean);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return 0;
        }
    }

    /** utime + stime of this process from /proc (Linux); NaN elsewhere. Includes GC and JIT threads. */
    private static double processCpuSeconds() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0; // USER_HZ is 100 on Linux
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    private static void resetPeaks() {
        System.gc();
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            p.resetPeakUsage();
        }
    }

    /** Sum of heap pool peaks: includes uncollected garbage, so an upper bound of the live set. */
    private static long peakHeap() {
        long sum = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) {
                sum += p.getPeakUsage().getUsed();
            }
        }
        return sum;
    }
}
