package heron.net.internal;

import heron.core.health.PipelineHealth;

/**
 * Thread-confined health counters: the hot path adds to plain longs, and {@link #flushTo} moves
 * them into the shared {@link PipelineHealth} (a LongAdder map) once per run.
 */
public final class Counters {
    public enum C {
        PACKETS_TOTAL(PipelineHealth.PACKETS_TOTAL), PACKETS_TCP(PipelineHealth.PACKETS_TCP),
        PACKETS_NON_TCP(PipelineHealth.PACKETS_NON_TCP), PACKETS_NON_IP(PipelineHealth.PACKETS_NON_IP),
        PACKETS_UNSUPPORTED_LINK(PipelineHealth.PACKETS_UNSUPPORTED_LINK),
        PACKETS_MALFORMED(PipelineHealth.PACKETS_MALFORMED),
        PACKETS_TRUNCATED_SNAPLEN(PipelineHealth.PACKETS_TRUNCATED_SNAPLEN),
        PACKETS_IP_FRAGMENT(PipelineHealth.PACKETS_IP_FRAGMENT),
        PACKETS_TCP_NO_PAYLOAD(PipelineHealth.PACKETS_TCP_NO_PAYLOAD),
        TCP_CONNECTIONS(PipelineHealth.TCP_CONNECTIONS), TCP_RETRANSMITTED(PipelineHealth.TCP_RETRANSMITTED),
        TCP_OUT_OF_ORDER(PipelineHealth.TCP_OUT_OF_ORDER), TCP_GAPS(PipelineHealth.TCP_GAPS),
        TCP_GAP_BYTES(PipelineHealth.TCP_GAP_BYTES), TCP_MIDSTREAM(PipelineHealth.TCP_MIDSTREAM),
        TCP_BUFFER_OVERFLOW(PipelineHealth.TCP_BUFFER_OVERFLOW), TCP_IDLE_EVICTED(PipelineHealth.TCP_IDLE_EVICTED),
        STREAMS_TLS(PipelineHealth.STREAMS_TLS), STREAMS_NOT_HTTP(PipelineHealth.STREAMS_NOT_HTTP),
        BYTES_NOT_HTTP(PipelineHealth.BYTES_NOT_HTTP), HTTP_REQUESTS(PipelineHealth.HTTP_REQUESTS),
        HTTP_RESPONSES(PipelineHealth.HTTP_RESPONSES), HTTP_EXCHANGES(PipelineHealth.HTTP_EXCHANGES),
        HTTP_UNANSWERED(PipelineHealth.HTTP_UNANSWERED), HTTP_ORPHAN_RESPONSES(PipelineHealth.HTTP_ORPHAN_RESPONSES),
        HTTP_RESPONSES_BEFORE_REQUEST(PipelineHealth.HTTP_RESPONSES_BEFORE_REQUEST),
        HTTP_PARSE_ERRORS(PipelineHealth.HTTP_PARSE_ERRORS), HTTP_INCOMPLETE(PipelineHealth.HTTP_INCOMPLETE),
        HTTP_INTERIM(PipelineHealth.HTTP_INTERIM), HTTP_SSE_EVENTS(PipelineHealth.HTTP_SSE_EVENTS),
        BODY_CAPPED(PipelineHealth.BODY_CAPPED), BODY_DECOMPRESSION_REFUSED(PipelineHealth.BODY_DECOMPRESSION_REFUSED),
        BODY_DECOMPRESSION_FAILED(PipelineHealth.BODY_DECOMPRESSION_FAILED),
        BODY_ENCODING_UNSUPPORTED(PipelineHealth.BODY_ENCODING_UNSUPPORTED),
        FILE_DAMAGED_BYTES(PipelineHealth.FILE_DAMAGED_BYTES), FILE_SKIPPED_BLOCKS(PipelineHealth.FILE_SKIPPED_BLOCKS);

        final String key;

        C(String key) {
            this.key = key;
        }
    }

    private static final C[] ALL = C.values();
    private final long[] v = new long[ALL.length];

    public void inc(C c) {
        v[c.ordinal()]++;
    }

    public void add(C c, long n) {
        v[c.ordinal()] += n;
    }

    public long get(C c) {
        return v[c.ordinal()];
    }

    public void flushTo(PipelineHealth health) {
        for (int i = 0; i < v.length; i++) {
            health.add(ALL[i].key, v[i]);
            v[i] = 0;
        }
    }
}
