package heron.pipeline;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import heron.core.capture.CaptureDamage;
import heron.core.capture.PacketStream;
import heron.core.decode.DecodeResult;
import heron.core.decode.WireApiDecoderRegistry;
import heron.core.health.PipelineHealth;
import heron.core.model.Connection;
import heron.core.model.HttpExchange;
import heron.core.model.PacketRecord;
import heron.net.NetOptions;
import heron.net.NetPipeline;
import heron.net.NetSink;
import heron.store.HeronStore;
import heron.store.PayloadResolver;

/**
 * Re-assembles exchanges on demand from the capture file for a store that keeps payloads by
 * reference (ADR 0006): the packets of one connection are read back at their frame-index
 * offsets and run through the same reassembly, HTTP parsing and wire-API decoders as the import.
 * Connection and exchange ids come from frame numbers, so they are the same as at import.
 * Thread-safe (every call has its own stream and pipeline run).
 */
public final class CaptureReassembler implements PayloadResolver {
    private final WireApiDecoderRegistry decoders;
    private final NetOptions options;

    /**
     * @param decoders the decoders the import used
     * @param options  the import's network options (the body cap and decompression limit decide
     *                 what bodies hold); the worker count is ignored, one connection runs on the
     *                 calling thread
     */
    public CaptureReassembler(WireApiDecoderRegistry decoders, NetOptions options) {
        this.decoders = decoders;
        this.options = options.withWorkers(1);
    }

    /** Installs a reassembler over the platform's decoders in {@code store} and returns the store. */
    public static HeronStore install(HeronStore store, NetOptions options) {
        store.setPayloadResolver(new CaptureReassembler(WireApiDecoderRegistry.fromPlatform(), options));
        return store;
    }

    @Override
    public List<DecodeResult> reassemble(Path captureFile, List<PacketRecord> packets) throws IOException {
        List<HttpExchange> exchanges = new ArrayList<>();
        try (RecordStream stream = new RecordStream(captureFile, packets)) {
            NetPipeline.run(stream, options, new NetSink() {
                @Override
                public synchronized void exchange(HttpExchange exchange) {
                    exchanges.add(exchange);
                }

                @Override
                public void connection(Connection connection) {
                    // rows have it
                }
            }, new PipelineHealth(), null);
        }
        exchanges.sort(Comparator.comparingLong(HttpExchange::id));
        PipelineHealth health = new PipelineHealth();
        List<DecodeResult> out = new ArrayList<>(exchanges.size());
        for (HttpExchange e : exchanges) {
            out.add(decoders.decode(e, health));
        }
        return out;
    }

    /** The given packets of a capture file, read at their recorded offsets, as a packet stream. */
    static final class RecordStream implements PacketStream {
        private final Path file;
        private final FileChannel ch;
        private final List<PacketRecord> records;
        private final CaptureDamage damage = new CaptureDamage();
        private ByteBuffer buf = ByteBuffer.allocate(1 << 16);
        private PacketRecord cur;
        private int next;
        private long position;

        RecordStream(Path file, List<PacketRecord> records) throws IOException {
            this.file = file;
            this.ch = FileChannel.open(file, StandardOpenOption.READ);
            this.records = records;
        }

        @Override
        public boolean next() throws IOException {
            if (next >= records.size()) {
                return false;
            }
            cur = records.get(next++);
            int len = cur.capturedLength();
            if (cur.fileOffset() < 0) {
                throw new IOException("frame " + cur.frame() + " has no offset in " + file);
            }
            if (buf.capacity() < len) {
                buf = ByteBuffer.allocate(Math.max(len, buf.capacity() * 2));
            }
            buf.clear().limit(len);
            long pos = cur.fileOffset();
            while (buf.hasRemaining()) {
                int r = ch.read(buf, pos);
                if (r < 0) {
                    // A live capture's file may not have been flushed up to here yet.
                    throw new EOFException(file + " ends before frame " + cur.frame()
                            + " (shorter than at import, or a live capture not yet written out)");
                }
                pos += r;
            }
            buf.flip();
            position += len;
            return true;
        }

        @Override
        public long frame() {
            return cur.frame();
        }

        @Override
        public long timestampNanos() {
            return cur.timestampNanos();
        }

        @Override
        public long fileOffset() {
            return cur.fileOffset();
        }

        @Override
        public int capturedLength() {
            return cur.capturedLength();
        }

        @Override
        public int originalLength() {
            return cur.originalLength();
        }

        @Override
        public int linkType() {
            return cur.linkType();
        }

        @Override
        public ByteBuffer data() {
            return buf;
        }

        @Override
        public String format() {
            return "frames";
        }

        @Override
        public long position() {
            return position;
        }

        @Override
        public CaptureDamage damage() {
            return damage;
        }

        @Override
        public void close() throws IOException {
            ch.close();
        }
    }
}
