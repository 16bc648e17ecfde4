package heron.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import org.eclipse.core.runtime.NullProgressMonitor;
import org.eclipse.core.runtime.OperationCanceledException;
import org.junit.jupiter.api.Test;

import heron.core.capture.PacketStream;
import heron.core.health.PipelineHealth;
import heron.core.model.Connection;
import heron.core.model.HttpExchange;
import heron.net.pcap.StableBuffers;
import heron.testing.Corpus;

/**
 * Several workers on a mapped capture file: each worker thread reads the file through its own fork
 * of the stream (heron.net.internal.SplitWalk). Same results as one worker, and failures and
 * cancellation behave as with the threaded dispatcher.
 */
class SplitWalkTest {

    @Test
    void aForkReturnsTheSamePacketsAsItsStream() throws IOException {
        for (Path p : Corpus.captures(Corpus.testdata())) {
            try (PacketStream a = NetRun.open(p); PacketStream b = ((StableBuffers) a).fork()) {
                assertNotNull(b, p.toString());
                int n = 0;
                while (a.next()) {
                    assertTrue(b.next(), p + ": fork ended early at frame " + a.frame());
                    assertEquals(a.frame(), b.frame());
                    assertEquals(a.timestampNanos(), b.timestampNanos());
                    assertEquals(a.linkType(), b.linkType());
                    assertEquals(a.originalLength(), b.originalLength());
                    assertEquals(a.data(), b.data(), p + " frame " + a.frame());
                    n++;
                }
                assertTrue(n > 0);
                assertEquals(false, b.next(), p + ": fork has more packets");
            }
        }
    }

    @Test
    void noForkOnceTheStreamReturnedAPacket() throws IOException {
        Path p = Corpus.captures(Corpus.testdata()).get(0);
        try (PacketStream a = NetRun.open(p)) {
            assertTrue(a.next());
            assertNull(((StableBuffers) a).fork());
        }
    }

    @Test
    void twoAndThreeWorkersGiveTheResultsOfOneIncludingTheFrameIndex() throws IOException {
        // with a frame index the walk splits only when asked to (SplitWalk.enabled)
        String old = System.setProperty(SPLIT, "true");
        try {
            for (Path p : Corpus.captures(Corpus.testdata())) {
                NetRun one = NetRun.of(p, 1);
                for (int workers : new int[] { 2, 3 }) {
                    NetRun many = NetRun.of(p, workers);
                    assertEquals(one.canonical(), many.canonical(), p + " workers " + workers);
                    assertEquals(one.packets, many.packets, p + " workers " + workers);
                }
            }
        } finally {
            restore(old);
        }
    }

    @Test
    void theWalkSplitsOnlyWhenAskedTo() {
        String old = System.getProperty(SPLIT);
        try {
            System.clearProperty(SPLIT);
            assertEquals(false, heron.net.internal.SplitWalk.enabled(false));
            assertEquals(false, heron.net.internal.SplitWalk.enabled(true));
            System.setProperty(SPLIT, "auto");
            assertTrue(heron.net.internal.SplitWalk.enabled(false));
            assertEquals(false, heron.net.internal.SplitWalk.enabled(true));
            System.setProperty(SPLIT, "true");
            assertTrue(heron.net.internal.SplitWalk.enabled(true));
            assertTrue(heron.net.internal.SplitWalk.enabled(false));
        } finally {
            restore(old);
        }
    }

    private static final String SPLIT = "heron.net.splitWalk";

    private static void restore(String old) {
        if (old == null) {
            System.clearProperty(SPLIT);
        } else {
            System.setProperty(SPLIT, old);
        }
    }

    @Test
    void withoutAFrameIndexTheWalkSplitsAndTheResultsAreTheSame() throws IOException {
        String old = System.setProperty(SPLIT, "auto");
        try {
            java.util.Set<String> threads = java.util.concurrent.ConcurrentHashMap.newKeySet();
            for (Path p : Corpus.captures(Corpus.testdata())) {
                String one = withoutFrameIndex(p, 1, threads).canonical();
                for (int workers : new int[] { 2, 3 }) {
                    assertEquals(one, withoutFrameIndex(p, workers, threads).canonical(), p + " workers " + workers);
                }
            }
            assertTrue(threads.contains("heron-flow-walker-1"), threads.toString());
            assertTrue(threads.contains("heron-flow-walker-2"), threads.toString());
        } finally {
            restore(old);
        }
    }

    /** A run whose sink takes no packets: then no walker keeps other workers' connections. */
    private static NetRun withoutFrameIndex(Path p, int workers, java.util.Set<String> threads) throws IOException {
        NetRun r = new NetRun();
        try (PacketStream ps = NetRun.open(p)) {
            r.result = NetPipeline.run(ps, NetOptions.defaults().withWorkers(workers), new NetSink() {
                @Override
                public void exchange(HttpExchange exchange) {
                    threads.add(Thread.currentThread().getName());
                    r.exchanges.add(exchange);
                }

                @Override
                public void connection(Connection connection) {
                    r.connections.add(connection);
                }
            }, r.health, null);
        }
        r.exchanges.sort(java.util.Comparator.comparingLong(HttpExchange::id));
        r.connections.sort(java.util.Comparator.comparingLong(Connection::id));
        return r;
    }

    @Test
    void aFailureOnAWalkerThreadEndsTheRun() throws IOException {
        String old = System.setProperty(SPLIT, "true");
        try {
            failureEndsTheRun();
        } finally {
            restore(old);
        }
    }

    private static void failureEndsTheRun() throws IOException {
        Path p = Corpus.testdata("sdk-anthropic.pcap");
        for (int workers : new int[] { 2, 3 }) {
            List<String> threads = new java.util.concurrent.CopyOnWriteArrayList<>();
            try (PacketStream ps = NetRun.open(p)) {
                RuntimeException e = assertThrows(RuntimeException.class,
                        () -> NetPipeline.run(ps, NetOptions.defaults().withWorkers(workers), new NetSink() {
                            @Override
                            public void exchange(HttpExchange exchange) {
                                threads.add(Thread.currentThread().getName());
                                throw new IllegalStateException("store is full");
                            }

                            @Override
                            public void connection(Connection connection) {
                            }
                        }, new PipelineHealth(), null));
                assertTrue(String.valueOf(e.getMessage()).contains("store is full"), e.toString());
                assertTrue(!threads.isEmpty());
            }
        }
    }

    @Test
    void cancellingStopsEveryWalker() throws IOException {
        String old = System.setProperty(SPLIT, "true");
        try {
            cancelStops();
        } finally {
            restore(old);
        }
    }

    private static void cancelStops() throws IOException {
        Path p = Corpus.testdata("sdk-anthropic.pcap");
        try (PacketStream ps = NetRun.open(p)) {
            NullProgressMonitor canceled = new NullProgressMonitor();
            canceled.setCanceled(true);
            // the monitor is asked every few thousand packets: a tiny capture may finish first
            try {
                NetPipeline.run(ps, NetOptions.defaults().withWorkers(2), new NetSink() {
                    @Override
                    public void exchange(HttpExchange exchange) {
                    }

                    @Override
                    public void connection(Connection connection) {
                    }
                }, new PipelineHealth(), canceled);
            } catch (OperationCanceledException expected) {
                // fine as well
            }
            assertTrue(Thread.getAllStackTraces().keySet().stream()
                    .noneMatch(t -> t.getName().startsWith("heron-flow-walker")), "a walker thread is still running");
        }
    }

    @Test
    void aNonMappedStreamStillRunsWithSeveralWorkers() throws IOException {
        Path p = Corpus.testdata("sdk-anthropic.pcap");
        NetRun one = NetRun.of(p, 1);
        // a stream that is not StableBuffers: the threaded dispatcher copies packets into batches
        NetRun r = new NetRun();
        try (PacketStream ps = NetRun.open(p); PacketStream plain = new heron.core.capture.ForwardingPacketStream(ps) {
        }) {
            r.result = NetPipeline.run(plain, NetOptions.defaults().withWorkers(2), new NetSink() {
                @Override
                public void exchange(HttpExchange exchange) {
                    r.exchanges.add(exchange);
                }

                @Override
                public void connection(Connection connection) {
                    r.connections.add(connection);
                }
            }, r.health, null);
        }
        r.exchanges.sort(java.util.Comparator.comparingLong(HttpExchange::id));
        r.connections.sort(java.util.Comparator.comparingLong(Connection::id));
        assertEquals(one.canonical(), r.canonical());
    }
}
