package heron.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import heron.core.model.Capture;
import heron.store.internal.BlobFile;
import heron.store.internal.FrameIndexFile;
import heron.store.internal.ReferencedPayloads;
import heron.store.query.Aggregations;
import heron.store.query.CallQueries;
import heron.store.query.CaptureQueries;
import heron.store.query.ConnectionQueries;
import heron.store.query.ExchangeQueries;
import heron.store.query.HealthQueries;
import heron.store.query.PacketIndex;
import heron.store.query.TurnQueries;
import heron.store.schema.CaptureTables;
import heron.store.schema.Schema;

/**
 * The Heron database of one workspace (or of one {@code heron analyze} run): an H2 file database
 * {@code heron.mv.db} plus per-capture side files, all in one directory: the frame index
 * {@code frames/<captureId>.idx} and, when archiving (ADR 0002), the payloads (headers, bodies,
 * SSE events, call details) {@code blobs/<captureId>.dat}. By default payloads stay in the
 * capture file and are re-assembled on demand by a {@link PayloadResolver} (ADR 0006). See
 * docs/storage.md.
 *
 * <p>Opening migrates the schema to {@link Schema#CURRENT_VERSION} and recovers from a killed
 * import: captures still marked {@link Capture.ImportStatus#IMPORTING} (and not being imported
 * by a writer in this JVM) are deleted, rows and side file, and reported by
 * {@link #recoveredCaptures()}. H2 locks the file, so a second process cannot open the same
 * database while this one has it open.
 *
 * <p>Thread-safe: readers and writers each use their own JDBC connection.
 */
public final class HeronStore implements AutoCloseable {
    /** Base name of the database file ({@code heron.mv.db}). */
    public static final String DB_NAME = "heron";

    // Imports running in this JVM, "<dir>#<captureId>", so that a second HeronStore on the same
    // directory does not mistake them for the leftovers of a killed process.
    static final Set<String> ACTIVE_IMPORTS = ConcurrentHashMap.newKeySet();

    private final Path dir;
    private final StoreOptions options;
    static {
        // H2's object cache (on by default) hashes every string value bound or read to share
        // equal instances: during an import that was a large share of the writer thread's time
        // (JFR, ADR 0005) for no benefit (values are not repeated). Read once, when H2's
        // SysProperties class initialises, so it must be set before the first H2 use; a value
        // given on the command line wins.
        if (System.getProperty("h2.objectCache") == null) {
            System.setProperty("h2.objectCache", "false");
        }
    }

    private final org.h2.Driver driver = new org.h2.Driver();
    private final String url;
    // Held open for the store's lifetime: H2 closes an embedded database with its last connection.
    private final Connection keeper;
    private final List<Capture> recovered;
    private final ReferencedPayloads referenced = new ReferencedPayloads(this);
    private volatile boolean closed;
    /** Captures whose rows and views' indexes are known to be ready (see {@link #ensureRows}). */
    private final Set<Long> indexed = ConcurrentHashMap.newKeySet();

    private HeronStore(Path dir, StoreOptions options, int targetVersion) {
        this.dir = dir;
        this.options = options;
        // MVStore (the default) keeps the file consistent when the process is killed; the last
        // second of commits may be lost, which recovery handles like an unfinished import.
        // No CACHE_SIZE in the URL: H2 applies URL settings to every new connection, and setting
        // the cache size empties the page cache, so each query (one connection each) would start
        // with an empty cache. It is set once, below.
        this.url = "jdbc:h2:file:" + dir.resolve(DB_NAME) + (options.compress() ? ";COMPRESS=TRUE" : "");
        try {
            this.keeper = connect();
            try (java.sql.Statement s = keeper.createStatement()) {
                s.execute("SET CACHE_SIZE " + cacheKb());
            }
            Schema.migrate(keeper, targetVersion);
            this.recovered = recover();
        } catch (Schema.NewerSchemaException e) {
            closeQuietly();
            throw new StoreException(e.getMessage(), e);
        } catch (SQLException e) {
            closeQuietly();
            throw new StoreException("cannot open the Heron database in " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * H2's page cache in KB: 1/16 of the heap, between 16 MB (H2's default) and 256 MB. Building
     * a capture's indexes at the end of its import scans its call and exchange tables once per
     * index (ADR 0005); with H2's default 16 MB the pages of a 135k-call capture (~120 MB) are
     * read and deserialised again for every scan.
     */
    static int cacheKb() {
        long kb = Runtime.getRuntime().maxMemory() / 16 / 1024;
        return (int) Math.max(16 * 1024, Math.min(256 * 1024, kb));
    }

    /**
     * H2's page cache while an import whose indexes are deferred runs ({@link StoreWriter#deferRows}):
     * H2's default. MVStore keeps every page it writes in the cache, so with the 256 MB of
     * {@link #cacheKb()} the live heap grew with the import (~0.7 KB per row: ~380 MB for the
     * 540,000 rows of a 135,000-call capture) and the collector copied and re-marked pages nobody
     * reads again: such an import appends rows and never reads them back. The size is restored
     * when the last such import ends, for the queries (and the index builds) that follow.
     */
    static final int BULK_CACHE_KB = 16 * 1024;
    private int bulkImports;
    private int cacheBeforeBulkKb;

    /** A deferred-index import begins: the page cache shrinks to {@link #BULK_CACHE_KB}. */
    synchronized void bulkImportStarted() {
        if (bulkImports++ == 0) {
            cacheBeforeBulkKb = pageCacheKb();
            if (cacheBeforeBulkKb > BULK_CACHE_KB) {
                setPageCacheKb(BULK_CACHE_KB);
            }
        }
    }

    /** A deferred-index import ended (finished or aborted): the last one restores the page cache. */
    synchronized void bulkImportEnded() {
        if (--bulkImports == 0 && cacheBeforeBulkKb > BULK_CACHE_KB && !closed) {
            try {
                setPageCacheKb(cacheBeforeBulkKb);
            } catch (StoreException e) {
                // only a smaller cache: queries read more pages from the file
            }
        }
    }

    /** H2's page cache size now, in KB (one cache per database, shared by every connection); 0 if unreadable. */
    public int pageCacheKb() {
        try (Connection c = connect(); java.sql.Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = 'CACHE_SIZE'")) {
            return rs.next() ? Integer.parseInt(rs.getString(1).trim()) : 0;
        } catch (SQLException | NumberFormatException e) {
            return 0;
        }
    }

    /** Sets H2's page cache size in KB; a smaller size drops the cached pages. */
    public void setPageCacheKb(int kb) {
        try (Connection c = connect(); java.sql.Statement s = c.createStatement()) {
            s.execute("SET CACHE_SIZE " + kb);
        } catch (SQLException e) {
            throw new StoreException("cannot set the database page cache: " + e.getMessage(), e);
        }
    }

    /** Opens (creating if needed) the store in {@code directory} with default options. */
    public static HeronStore open(Path directory) {
        return open(directory, StoreOptions.defaults());
    }

    /** Opens (creating if needed) the store in {@code directory}. */
    public static HeronStore open(Path directory, StoreOptions options) {
        return open(directory, options, Schema.CURRENT_VERSION);
    }

    /** Opens and migrates only up to {@code targetVersion}: for migration tests. */
    static HeronStore open(Path directory, StoreOptions options, int targetVersion) {
        Path d = directory.toAbsolutePath().normalize();
        if (d.toString().contains(";")) {
            // The H2 URL uses ';' to separate settings.
            throw new StoreException("the store directory may not contain ';': " + d);
        }
        try {
            Files.createDirectories(d);
        } catch (IOException e) {
            throw new StoreException("cannot create " + d, e);
        }
        return new HeronStore(d, options, targetVersion);
    }

    /** A new JDBC connection to the database; the caller closes it. */
    public Connection connect() throws SQLException {
        if (closed) {
            throw new StoreException("store is closed");
        }
        Properties p = new Properties();
        p.setProperty("user", "heron");
        p.setProperty("password", "");
        // Loaded directly: DriverManager's service lookup does not see other OSGi bundles.
        Connection c = driver.connect(url, p);
        if (c == null) {
            throw new SQLException("H2 refused the URL " + url);
        }
        return c;
    }

    public Path directory() {
        return dir;
    }

    public Path databaseFile() {
        return dir.resolve(DB_NAME + ".mv.db");
    }

    public StoreOptions options() {
        return options;
    }

    /** Schema version of the open database. */
    public int schemaVersion() {
        try (Connection c = connect()) {
            return Schema.version(c);
        } catch (SQLException e) {
            throw new StoreException("cannot read the schema version", e);
        }
    }

    /** Captures removed on open because their import never finished (the process was killed). */
    public List<Capture> recoveredCaptures() {
        return recovered;
    }

    /**
     * Installs what re-assembles payloads kept by reference in capture files (ADR 0006); null
     * removes it. Without one, exchanges and calls of such captures come from their rows alone
     * (empty headers, bodies without bytes, calls without messages, tools and texts), as lists
     * show them; rows, lists, metrics and topology need none. heron.pipeline's
     * {@code CaptureReassembler.install} is the usual way; the workbench and the CLI install it.
     */
    public void setPayloadResolver(PayloadResolver resolver) {
        referenced.setResolver(resolver);
    }

    /** The installed payload resolver, or null. */
    public PayloadResolver payloadResolver() {
        return referenced.resolver();
    }

    /** The store's by-reference payload access (the queries' helper; not API). */
    public ReferencedPayloads referencedPayloads() {
        return referenced;
    }

    /** A new writer for one import. Writers are single-threaded; several may run at once. */
    public StoreWriter writer() {
        return new StoreWriter(this);
    }

    public CaptureQueries captures() {
        return new CaptureQueries(this);
    }

    public ConnectionQueries connections() {
        return new ConnectionQueries(this);
    }

    public ExchangeQueries exchanges() {
        return new ExchangeQueries(this);
    }

    public CallQueries calls() {
        return new CallQueries(this);
    }

    public TurnQueries turns() {
        return new TurnQueries(this);
    }

    public HealthQueries health() {
        return new HealthQueries(this);
    }

    public PacketIndex packets() {
        return new PacketIndex(this);
    }

    public Aggregations aggregations() {
        return new Aggregations(this);
    }

    /**
     * Makes sure a finished capture's tables are ready for the views' queries: rows a bulk import
     * left packed ({@link StoreWriter#deferRows}, ADR 0007) are expanded into them, and the views'
     * indexes are built where missing (ADR 0005, Update (session 3)). Imports that nobody views
     * while they run ({@code heron analyze}) finish without either; every query reaches a
     * capture's tables through {@link #table}, which calls this, so the first query of such a
     * capture pays for both (about 10 s for 135,000 calls, see docs/performance.md) and later
     * ones find them done. A capture still being imported is left alone: an index built now
     * would be maintained row by row for the rest of its import; its views sort instead.
     * Cheap once done (a set lookup).
     */
    public void ensureRows(long captureId) {
        if (indexed.contains(captureId)) {
            return;
        }
        synchronized (indexed) {
            if (indexed.contains(captureId)) {
                return;
            }
            try (Connection c = connect()) {
                String status = null;
                try (PreparedStatement ps = c.prepareStatement("SELECT status FROM capture WHERE id = ?")) {
                    ps.setLong(1, captureId);
                    try (var rs = ps.executeQuery()) {
                        if (rs.next()) {
                            status = rs.getString(1);
                        }
                    }
                }
                if (status == null || Capture.ImportStatus.IMPORTING.name().equals(status)
                        || !CaptureTables.exist(c, captureId)) {
                    return;
                }
                c.setAutoCommit(false);
                PackedRows.expand(c, dir, captureId, options.batchRows(), options.commitRows(), Long.MAX_VALUE);
                c.setAutoCommit(true);
                CaptureTables.createIndexes(c, captureId);
                indexed.add(captureId);
            } catch (SQLException | IOException e) {
                throw new StoreException("cannot prepare the tables of capture " + captureId + ": " + e.getMessage(), e);
            }
        }
    }

    /**
     * The name of one of a capture's tables ({@link CaptureTables#of}) for a query, once its rows
     * and indexes are ready ({@link #ensureRows}). Queries name a capture's tables only through
     * this method.
     */
    public String table(String base, long captureId) {
        ensureRows(captureId);
        return CaptureTables.of(base, captureId);
    }

    /** A complete earlier import of the file with this sha256, to reuse instead of importing again. */
    public Optional<Capture> findCaptureBySha256(String sha256) {
        return captures().list().stream()
                .filter(c -> sha256.equalsIgnoreCase(c.sha256()) && c.status() != Capture.ImportStatus.IMPORTING)
                .findFirst();
    }

    /**
     * Points a capture at the new place of its file, after the file was moved, renamed or copied
     * elsewhere: packet bytes and call details are read back from the capture file (ADR 0006), so
     * until then they fail with "capture file not found". The file must hold what was imported:
     * the same size, and the same sha256 where the import recorded one (live captures, whose file
     * grew while they were imported, record none).
     *
     * @throws StoreException saying what differs, or when the capture is unknown or the file
     *                        cannot be read
     */
    public void relocateCapture(long captureId, Path file) {
        Capture capture = captures().get(captureId)
                .orElseThrow(() -> new StoreException("there is no capture " + captureId + " in this workspace"));
        Path abs = file.toAbsolutePath().normalize();
        try {
            long size = Files.size(abs);
            if (size != capture.sizeBytes()) {
                throw new StoreException(abs + " is not the imported capture: it has " + size + " bytes, the capture had "
                        + capture.sizeBytes());
            }
            if (capture.sha256() != null && !CaptureFiles.sha256(abs).equalsIgnoreCase(capture.sha256())) {
                throw new StoreException(abs + " is not the imported capture: same size, but its sha256 differs");
            }
        } catch (IOException e) {
            throw new StoreException("cannot read " + abs + ": " + e.getMessage(), e);
        }
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement("UPDATE capture SET path = ? WHERE id = ?")) {
            ps.setString(1, abs.toString());
            ps.setLong(2, captureId);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException("cannot update capture " + captureId + ": " + e.getMessage(), e);
        }
        // hashed just now: the next detail query trusts size and modification time
        ReferencedPayloads.stamp(dir, captureId, abs);
        referenced.clear();
    }

    /** Removes the capture: its row, its tables and its side files. */
    public void deleteCapture(long captureId) {
        try (Connection c = connect()) {
            // The capture's tables first: if the process dies in between, the capture row is
            // still there (IMPORTING or not) and the delete can be repeated.
            CaptureTables.drop(c, captureId);
            indexed.remove(captureId);
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM capture WHERE id = ?")) {
                ps.setLong(1, captureId);
                ps.executeUpdate();
            }
            c.commit();
            referenced.clear();
            Files.deleteIfExists(FrameIndexFile.path(dir, captureId));
            Files.deleteIfExists(ReferencedPayloads.stampPath(dir, captureId));
            Files.deleteIfExists(BlobFile.path(dir, captureId));
            Files.deleteIfExists(PackedRows.path(dir, captureId));
        } catch (SQLException | IOException e) {
            throw new StoreException("cannot delete capture " + captureId, e);
        }
    }

    /** Size of the database file plus side files, in bytes. */
    public long sizeBytes() {
        try (var s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        } catch (IOException e) {
            return -1;
        }
    }

    static String importKey(Path dir, long captureId) {
        return dir + "#" + captureId;
    }

    private List<Capture> recover() {
        List<Capture> out = new ArrayList<>();
        for (Capture c : captures().list()) {
            if (c.status() == Capture.ImportStatus.IMPORTING && !ACTIVE_IMPORTS.contains(importKey(dir, c.id()))) {
                deleteCapture(c.id());
                out.add(c);
            }
        }
        deleteOrphanSideFiles();
        dropOrphanTables();
        return List.copyOf(out);
    }

    /**
     * Side files whose capture row is gone: a process killed between creating a side file and
     * committing, or a delete interrupted after the rows went.
     */
    private void deleteOrphanSideFiles() {
        Set<Long> ids = new java.util.HashSet<>();
        captures().list().forEach(c -> ids.add(c.id()));
        for (String sub : List.of("frames", "blobs", "rows")) {
            Path d = dir.resolve(sub);
            if (!Files.isDirectory(d)) {
                continue;
            }
            try (var s = Files.list(d)) {
                for (Path f : s.toList()) {
                    String name = f.getFileName().toString();
                    int dot = name.indexOf('.');
                    try {
                        long id = Long.parseLong(dot < 0 ? name : name.substring(0, dot));
                        if (!ids.contains(id) && !ACTIVE_IMPORTS.contains(importKey(dir, id))) {
                            Files.deleteIfExists(f);
                        }
                    } catch (NumberFormatException notOurs) {
                        // leave files we did not write alone
                    }
                }
            } catch (IOException e) {
                throw new StoreException("cannot clean " + d, e);
            }
        }
    }

    /** Tables of captures whose row is gone (e.g. a process killed while deleting a capture). */
    private void dropOrphanTables() {
        Set<Long> ids = new java.util.HashSet<>();
        captures().list().forEach(c -> ids.add(c.id()));
        try (Connection c = connect()) {
            for (long id : CaptureTables.captureIdsWithTables(c)) {
                if (!ids.contains(id) && !ACTIVE_IMPORTS.contains(importKey(dir, id))) {
                    CaptureTables.drop(c, id);
                }
            }
        } catch (SQLException e) {
            throw new StoreException("cannot drop the tables of deleted captures", e);
        }
    }

    private void closeQuietly() {
        try {
            if (keeper != null) {
                keeper.close();
            }
        } catch (SQLException ignored) {
            // already failing
        }
    }

    /**
     * Closes a store that is deleted right after (a temporary one, e.g. {@code heron analyze}
     * without {@code --db}): H2 skips the work that only serves a database kept for later (its
     * compaction of the file at close, which took seconds after a big import). What H2 had not
     * written out yet is lost: only for stores nobody opens again.
     */
    public void closeDiscarding() {
        if (closed) {
            return;
        }
        closed = true;
        try (java.sql.Statement s = keeper.createStatement()) {
            s.execute("SHUTDOWN IMMEDIATELY");
        } catch (SQLException e) {
            // H2 may report the connection it just closed; the database is closed either way
        }
        closeQuietly();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            keeper.close();
        } catch (SQLException e) {
            throw new StoreException("cannot close the Heron database", e);
        }
    }
}
