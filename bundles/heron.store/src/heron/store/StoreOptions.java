package heron.store;

/**
 * How a {@link HeronStore} writes.
 *
 * @param maskSecrets     mask credentials (headers, query parameters, key shapes in bodies) before
 *                        they reach the disk or, for payloads kept by reference, before they are
 *                        handed out; on by default. Off keeps the bytes exactly as captured.
 * @param batchRows       rows collected per JDBC batch before it is executed
 * @param commitRows      rows written per transaction commit (a multiple of batchRows is sensible)
 * @param compress        deflate archived payloads in the side file and compress H2 pages: about
 *                        2.5x smaller, about 5x slower to write (see docs/storage.md); off by
 *                        default because import speed matters more
 * @param archivePayloads copy every exchange's headers, bodies and SSE events and every call's
 *                        lists and texts into the store's payload side file at import (ADR 0002),
 *                        so they stay readable without the capture file. Off by default: payloads
 *                        are kept by reference into the capture file and re-assembled on demand
 *                        through the store's {@link PayloadResolver} (ADR 0006)
 */
public record StoreOptions(boolean maskSecrets, int batchRows, int commitRows, boolean compress,
        boolean archivePayloads) {
    public StoreOptions {
        if (batchRows < 1 || commitRows < 1) {
            throw new IllegalArgumentException("batchRows and commitRows must be positive");
        }
    }

    /** Options without archiving (payloads by reference). */
    public StoreOptions(boolean maskSecrets, int batchRows, int commitRows, boolean compress) {
        this(maskSecrets, batchRows, commitRows, compress, false);
    }

    /**
     * Secrets masked, batches of 1000 rows, a commit every 5000 rows, no compression, payloads
     * by reference.
     */
    public static StoreOptions defaults() {
        return new StoreOptions(true, 1000, 5000, false, false);
    }

    public StoreOptions withMaskSecrets(boolean mask) {
        return new StoreOptions(mask, batchRows, commitRows, compress, archivePayloads);
    }

    public StoreOptions withBatching(int batch, int commit) {
        return new StoreOptions(maskSecrets, batch, commit, compress, archivePayloads);
    }

    public StoreOptions withCompress(boolean c) {
        return new StoreOptions(maskSecrets, batchRows, commitRows, c, archivePayloads);
    }

    /** With or without copying payloads into the store (see {@link #archivePayloads()}). */
    public StoreOptions withArchivePayloads(boolean archive) {
        return new StoreOptions(maskSecrets, batchRows, commitRows, compress, archive);
    }
}
