package heron.store;

/**
 * How a {@link HeronStore} writes.
 *
 * @param maskSecrets  mask credentials (headers, query parameters, key shapes in bodies) before
 *                     they reach the disk; on by default. Off keeps the bytes exactly as captured.
 * @param batchRows    rows collected per JDBC batch before it is executed
 * @param commitRows   rows written per transaction commit (a multiple of batchRows is sensible)
 * @param compress     deflate payloads (bodies, headers, events, call details) in the side file
 *                     and compress H2 pages: about 2.5x smaller, about 5x slower to write (see
 *                     docs/storage.md); off by default because import speed matters more
 */
public record StoreOptions(boolean maskSecrets, int batchRows, int commitRows, boolean compress) {
    public StoreOptions {
        if (batchRows < 1 || commitRows < 1) {
            throw new IllegalArgumentException("batchRows and commitRows must be positive");
        }
    }

    /** Secrets masked, batches of 1000 rows, a commit every 5000 rows, no compression. */
    public static StoreOptions defaults() {
        return new StoreOptions(true, 1000, 5000, false);
    }

    public StoreOptions withMaskSecrets(boolean mask) {
        return new StoreOptions(mask, batchRows, commitRows, compress);
    }

    public StoreOptions withBatching(int batch, int commit) {
        return new StoreOptions(maskSecrets, batch, commit, compress);
    }

    public StoreOptions withCompress(boolean c) {
        return new StoreOptions(maskSecrets, batchRows, commitRows, c);
    }
}
