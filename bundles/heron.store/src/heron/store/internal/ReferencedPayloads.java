package heron.store.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToLongFunction;
import java.util.function.UnaryOperator;

import heron.core.decode.DecodeResult;
import heron.core.model.HttpExchange;
import heron.core.model.LlmCall;
import heron.core.model.PacketRecord;
import heron.store.HeronStore;
import heron.store.PayloadResolver;
import heron.store.StoreException;

/**
 * The store's side of payloads kept by reference (ADR 0006): finds a connection's packets in the
 * frame index, checks the capture file, has the {@link PayloadResolver} re-assemble them and
 * caches the last few connections (opening the calls of one turn re-reads nothing). One per
 * {@link HeronStore}; thread-safe.
 */
public final class ReferencedPayloads {
    /** Connections kept re-assembled: a turn's calls usually share one or a few connections. */
    static final int CACHED_CONNECTIONS = 16;
    private static final int SCAN_RECORDS = 8192;

    /** What the store knows of a capture's file, and whether its payloads are handed out masked. */
    public record CaptureFile(long captureId, String path, long size, String sha256, boolean masked) {
    }

    private final HeronStore store;
    private volatile PayloadResolver resolver;
    private final Map<String, List<DecodeResult>> cache = new LinkedHashMap<>(32, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, List<DecodeResult>> eldest) {
            return size() > CACHED_CONNECTIONS;
        }
    };
    // sha256 of capture files checked in this JVM, by "path|size|mtime": hashing a 1 GB file
    // costs seconds, so each version of a file is hashed once.
    private static final Map<String, String> HASHES = new ConcurrentHashMap<>();

    public ReferencedPayloads(HeronStore store) {
        this.store = store;
    }

    public void setResolver(PayloadResolver r) {
        this.resolver = r;
        clear();
    }

    public PayloadResolver resolver() {
        return resolver;
    }

    /** Forgets every cached connection (e.g. when a capture is deleted). */
    public void clear() {
        synchronized (cache) {
            cache.clear();
        }
    }

    /** The capture's file as recorded at import, or null for an unknown capture. */
    public CaptureFile captureFile(long captureId) {
        return Jdbc.one(store, "SELECT id, path, size_bytes, sha256, secrets_masked FROM capture WHERE id = ?",
                rs -> new CaptureFile(rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getString(4), rs.getBoolean(5)),
                captureId).orElse(null);
    }

    /**
     * Every exchange of the connection (with its decoded call), re-assembled from the capture
     * file, unmasked.
     *
     * @throws StoreException with a one-line message when no resolver is installed or the
     *                        capture file is missing, changed or unreadable
     */
    public List<DecodeResult> connection(CaptureFile cf, long connectionId) {
        PayloadResolver r = resolver;
        if (r == null) {
            throw new StoreException("the bodies of capture " + cf.captureId()
                    + " are kept in its capture file, and this store was opened without a payload resolver");
        }
        // Checked on cache hits too (a stat; the sha256 is computed once per file version), so a
        // file moved away while the workbench runs is reported, not hidden by the cache.
        Path file = checkedFile(cf);
        String key = cf.captureId() + ":" + connectionId;
        synchronized (cache) {
            List<DecodeResult> hit = cache.get(key);
            if (hit != null) {
                return hit;
            }
        }
        List<PacketRecord> packets = packets(cf.captureId(), connectionId, expectedPackets(cf.captureId(), connectionId));
        List<DecodeResult> out;
        try {
            out = List.copyOf(r.reassemble(file, packets));
        } catch (IOException e) {
            throw new StoreException("cannot read the capture file " + file + ": " + e.getMessage(), e);
        }
        synchronized (cache) {
            cache.put(key, out);
        }
        return out;
    }

    /**
     * Completes exchanges read from their rows alone ({@code byRef}: the ids kept by reference)
     * with headers, bodies and events re-assembled from the capture file and masked as the
     * archive path would have stored them.
     */
    public List<HttpExchange> completeExchanges(long captureId, List<HttpExchange> rows, Set<Long> byRef) {
        CaptureFile cf = completable(captureId, byRef);
        if (cf == null) {
            return rows;
        }
        boolean mask = masked(cf);
        Map<Long, Map<Long, DecodeResult>> byConnection = new HashMap<>();
        return replaceByRef(rows, byRef, HttpExchange::id, e -> {
            DecodeResult r = find(cf, byConnection, e.connectionId(), e.id());
            return Rows.withPayload(e, Payloads.exchange(r.exchange(), mask).value());
        });
    }

    /**
     * Completes calls read from their rows alone ({@code byRef}: the ids kept by reference) with
     * the lists and texts of the call decoded again from the re-assembled exchange, masked as the
     * archive path would have stored them; the row's fields (agent tag included) are kept.
     */
    public List<LlmCall> completeCalls(long captureId, List<LlmCall> rows, Set<Long> byRef) {
        CaptureFile cf = completable(captureId, byRef);
        if (cf == null) {
            return rows;
        }
        boolean mask = masked(cf);
        List<Long> exchangeIds = new ArrayList<>();
        for (LlmCall c : rows) {
            if (byRef.contains(c.id())) {
                exchangeIds.add(c.exchangeId());
            }
        }
        Map<Long, Long> connectionOf = new HashMap<>();
        Jdbc.list(store, "SELECT e.id, e.connection_id FROM TABLE(x BIGINT = ?) t JOIN "
                + store.table("http_exchange", captureId) + " e ON e.capture_id = ? AND e.id = t.x",
                rs -> connectionOf.put(rs.getLong(1), rs.getLong(2)), exchangeIds.toArray(new Long[0]), captureId);
        Map<Long, Map<Long, DecodeResult>> byConnection = new HashMap<>();
        return replaceByRef(rows, byRef, LlmCall::id, c -> {
            Long conn = connectionOf.get(c.exchangeId());
            if (conn == null) {
                throw new StoreException("call " + c.id() + ": its exchange " + c.exchangeId() + " is not in the store");
            }
            DecodeResult r = find(cf, byConnection, conn, c.exchangeId());
            if (r.call() == null) {
                throw new StoreException("call " + c.id() + ": exchange " + c.exchangeId()
                        + " no longer decodes as a call (decoders changed since the import?)");
            }
            return Rows.withDetail(c, Payloads.callDetail(r.call(), mask));
        });
    }

    /**
     * The capture file to complete rows of this capture from, or null when the rows are all
     * there is: nothing kept by reference, no resolver (a store opened by code that never reads
     * bodies: lists stay usable, bodies and details stay empty), or no capture file recorded.
     */
    private CaptureFile completable(long captureId, Set<Long> byRef) {
        if (byRef.isEmpty() || resolver == null) {
            return null;
        }
        return captureFile(captureId);
    }

    /** Whether payloads re-assembled from the file are masked as the archive path would have stored them. */
    private boolean masked(CaptureFile cf) {
        return cf.masked() || store.options().maskSecrets();
    }

    /** The rows in order, those kept by reference ({@code byRef}) replaced by {@code complete}'s result. */
    private static <T> List<T> replaceByRef(List<T> rows, Set<Long> byRef, ToLongFunction<T> id,
            UnaryOperator<T> complete) {
        List<T> out = new ArrayList<>(rows.size());
        for (T row : rows) {
            out.add(byRef.contains(id.applyAsLong(row)) ? complete.apply(row) : row);
        }
        return out;
    }

    private DecodeResult find(CaptureFile cf, Map<Long, Map<Long, DecodeResult>> memo, long connectionId,
            long exchangeId) {
        Map<Long, DecodeResult> ex = memo.computeIfAbsent(connectionId, k -> {
            Map<Long, DecodeResult> m = new HashMap<>();
            for (DecodeResult r : connection(cf, k)) {
                m.put(r.exchange().id(), r);
            }
            return m;
        });
        DecodeResult r = ex.get(exchangeId);
        if (r == null) {
            throw new StoreException("exchange " + exchangeId + " was not found again in the capture file "
                    + cf.path() + " (changed since the import?)");
        }
        return r;
    }

    /** Checks that the capture file is where the import found it and unchanged. */
    Path checkedFile(CaptureFile cf) {
        if (cf.path() == null) {
            throw new StoreException("capture " + cf.captureId() + " has no capture file to read bodies from");
        }
        Path file = Path.of(cf.path());
        if (!Files.isRegularFile(file)) {
            throw new StoreException("capture file not found: " + file + " (moved or deleted since the import; "
                    + "bodies are read from it)");
        }
        // Live captures record neither (their file grew while importing): only presence is checked.
        if (cf.sha256() == null) {
            return file;
        }
        try {
            long size = Files.size(file);
            if (size != cf.size()) {
                throw new StoreException("capture file changed since the import: " + file + " is " + size
                        + " bytes, was " + cf.size());
            }
            long mtime = Files.getLastModifiedTime(file).toMillis();
            Path stamp = stampPath(store.directory(), cf.captureId());
            if (stampMatches(stamp, size, mtime)) {
                // Same size and modification time as when its sha256 was last known to match
                // (at import or at an earlier check): trusted without reading 1 GB again.
                return file;
            }
            String key = file + "|" + size + "|" + mtime;
            String hash = HASHES.get(key);
            if (hash == null) {
                hash = heron.store.CaptureFiles.sha256(file);
                HASHES.put(key, hash);
            }
            if (!hash.equalsIgnoreCase(cf.sha256())) {
                throw new StoreException("capture file changed since the import: " + file + " (sha256 differs)");
            }
            writeStamp(stamp, size, mtime);
        } catch (IOException e) {
            throw new StoreException("cannot read the capture file " + file + ": " + e.getMessage(), e);
        }
        return file;
    }

    /** Packets of the connection as counted by reassembly, or -1 when its row is not written yet. */
    private long expectedPackets(long captureId, long connectionId) {
        return Jdbc.one(store, "SELECT packets_c2s + packets_s2c FROM " + store.table("connection", captureId)
                + " WHERE capture_id = ? AND id = ?", rs -> rs.getLong(1), captureId, connectionId).orElse(-1L);
    }

    /**
     * The connection's packets from the frame index. A connection's id is the frame of its first
     * packet (heron.net), so the scan starts there and ends once all its packets were seen (the
     * connection row's count) or, for a connection still open, at the end of the index.
     */
    List<PacketRecord> packets(long captureId, long connectionId, long expected) {
        Path f = FrameIndexFile.path(store.directory(), captureId);
        List<PacketRecord> out = new ArrayList<>();
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
            long n = Math.max(0, (ch.size() - FrameIndexFile.HEADER) / FrameIndexFile.RECORD);
            long i = FrameIndexFile.indexAtOrAfter(ch, n, connectionId);
            ByteBuffer b = ByteBuffer.allocate(SCAN_RECORDS * FrameIndexFile.RECORD).order(ByteOrder.LITTLE_ENDIAN);
            while (i < n && (expected < 0 || out.size() < expected)) {
                int len = (int) Math.min(SCAN_RECORDS, n - i);
                b.clear().limit(len * FrameIndexFile.RECORD);
                FrameIndexFile.readFully(ch, b, FrameIndexFile.HEADER + i * FrameIndexFile.RECORD);
                b.flip();
                for (int k = 0; k < len; k++) {
                    PacketRecord p = FrameIndexFile.decode(b);
                    if (p.connectionId() == connectionId) {
                        out.add(p);
                    }
                }
                i += len;
            }
        } catch (NoSuchFileException e) {
            throw new StoreException("the frame index of capture " + captureId + " is missing: " + f);
        } catch (IOException e) {
            throw new StoreException("cannot read the frame index " + f + ": " + e.getMessage(), e);
        }
        if (out.isEmpty()) {
            throw new StoreException("connection " + connectionId + " has no packets in the frame index of capture "
                    + captureId);
        }
        return out;
    }

    /**
     * {@code frames/<captureId>.stamp}: size and modification time of the capture file when its
     * sha256 was last known to equal the capture's (written at import and after a full check).
     */
    public static Path stampPath(Path storeDir, long captureId) {
        return storeDir.resolve("frames").resolve(captureId + ".stamp");
    }

    /** Records that {@code file}, as it is now, is the capture's file (its sha256 was just checked). */
    public static void stamp(Path storeDir, long captureId, Path file) {
        try {
            writeStamp(stampPath(storeDir, captureId), Files.size(file), Files.getLastModifiedTime(file).toMillis());
        } catch (IOException e) {
            // without a stamp the next check hashes the file: slower, not wrong
        }
    }

    private static void writeStamp(Path stamp, long size, long mtime) {
        try {
            Files.createDirectories(stamp.getParent());
            Files.writeString(stamp, size + " " + mtime + "\n");
        } catch (IOException e) {
            // without a stamp the next check hashes the file: slower, not wrong
        }
    }

    private static boolean stampMatches(Path stamp, long size, long mtime) {
        try {
            String[] f = Files.readString(stamp).trim().split(" ");
            return f.length == 2 && Long.parseLong(f[0]) == size && Long.parseLong(f[1]) == mtime;
        } catch (IOException | NumberFormatException e) {
            return false;
        }
    }
}
