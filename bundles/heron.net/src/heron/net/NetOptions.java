package heron.net;

/**
 * Settings of one {@link NetPipeline#run} call.
 *
 * @param workers          flow workers; connections are spread over them by a hash of their
 *                         4-tuple. 1 processes everything on the reading thread (fastest for
 *                         framing alone). Results do not depend on this number.
 * @param bodyCap          bytes of each decoded body kept; longer bodies are truncated and keep
 *                         their original length ({@code Body.decodedLength}, counter body.capped)
 * @param decompressLimit  hard limit on the decompressed size of one gzip/deflate body
 *                         (decompression-bomb guard, counter body.decompression_refused)
 * @param idleTimeoutNanos connections without packets for this long (capture time) are closed
 */
public record NetOptions(int workers, int bodyCap, long decompressLimit, long idleTimeoutNanos) {

    public NetOptions {
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be >= 1: " + workers);
        }
        if (bodyCap < 0 || decompressLimit < 0 || idleTimeoutNanos <= 0) {
            throw new IllegalArgumentException("negative limit");
        }
    }

    /** workers = available processors, body cap 8 MiB, decompress limit 64 MiB, idle 10 min. */
    public static NetOptions defaults() {
        return new NetOptions(Runtime.getRuntime().availableProcessors(), 8 << 20, 64L << 20,
                10L * 60 * 1_000_000_000L);
    }

    public NetOptions withWorkers(int n) {
        return new NetOptions(n, bodyCap, decompressLimit, idleTimeoutNanos);
    }
}
