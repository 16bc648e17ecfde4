package heron.core.health;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The pipeline-health counters of one import: every packet is either used or counted in a named
 * bucket, so nothing is lost silently. Thread-safe; workers add, views and {@code heron analyze}
 * read a snapshot. Counter names are stable (they appear in JSON output and the database).
 */
public final class PipelineHealth {
    // Packets and link layer
    public static final String PACKETS_TOTAL = "packets.total";
    public static final String PACKETS_TCP = "packets.tcp";
    public static final String PACKETS_NON_TCP = "packets.non_tcp";
    public static final String PACKETS_NON_IP = "packets.non_ip";
    public static final String PACKETS_UNSUPPORTED_LINK = "packets.unsupported_link";
    public static final String PACKETS_MALFORMED = "packets.malformed";
    public static final String PACKETS_TRUNCATED_SNAPLEN = "packets.truncated_snaplen";
    public static final String PACKETS_IP_FRAGMENT = "packets.ip_fragment";
    public static final String PACKETS_TCP_NO_PAYLOAD = "packets.tcp_no_payload";
    // TCP reassembly
    public static final String TCP_CONNECTIONS = "tcp.connections";
    public static final String TCP_RETRANSMITTED = "tcp.retransmitted";
    public static final String TCP_OUT_OF_ORDER = "tcp.out_of_order";
    public static final String TCP_GAPS = "tcp.gaps";
    public static final String TCP_GAP_BYTES = "tcp.gap_bytes";
    public static final String TCP_MIDSTREAM = "tcp.midstream_pickups";
    public static final String TCP_BUFFER_OVERFLOW = "tcp.buffer_overflow_bytes";
    public static final String TCP_IDLE_EVICTED = "tcp.idle_evicted";
    // Streams that are not HTTP
    public static final String STREAMS_TLS = "streams.tls";
    public static final String STREAMS_NOT_HTTP = "streams.not_http";
    public static final String BYTES_NOT_HTTP = "bytes.not_http";
    // HTTP
    public static final String HTTP_REQUESTS = "http.requests";
    public static final String HTTP_RESPONSES = "http.responses";
    public static final String HTTP_EXCHANGES = "http.exchanges";
    public static final String HTTP_UNANSWERED = "http.requests_unanswered";
    public static final String HTTP_ORPHAN_RESPONSES = "http.responses_orphan";
    /** Responses captured before their request's packets and paired with it when it came. */
    public static final String HTTP_RESPONSES_BEFORE_REQUEST = "http.responses_before_request";
    public static final String HTTP_PARSE_ERRORS = "http.parse_errors";
    public static final String HTTP_INCOMPLETE = "http.messages_incomplete";
    public static final String HTTP_INTERIM = "http.interim_1xx";
    public static final String HTTP_SSE_EVENTS = "http.sse_events";
    public static final String BODY_CAPPED = "body.capped";
    public static final String BODY_DECOMPRESSION_REFUSED = "body.decompression_refused";
    public static final String BODY_DECOMPRESSION_FAILED = "body.decompression_failed";
    public static final String BODY_ENCODING_UNSUPPORTED = "body.encoding_unsupported";
    // File damage
    public static final String FILE_DAMAGED_BYTES = "file.damaged_bytes";
    public static final String FILE_SKIPPED_BLOCKS = "file.skipped_blocks";
    // Decoding and agents
    public static final String CALLS = "calls.decoded";
    public static final String CALL_DECODE_ERRORS = "calls.decode_errors";
    public static final String EXCHANGES_LABELLED = "exchanges.llm_non_call";
    public static final String CONTRIBUTION_ERRORS = "plugins.contribution_errors";
    public static final String TURNS_UNPLACED_CALLS = "turns.unplaced_calls";

    private final ConcurrentHashMap<String, LongAdder> counters = new ConcurrentHashMap<>();

    public void add(String counter, long n) {
        if (n != 0) {
            counters.computeIfAbsent(counter, k -> new LongAdder()).add(n);
        }
    }

    public void inc(String counter) {
        add(counter, 1);
    }

    public long get(String counter) {
        LongAdder a = counters.get(counter);
        return a == null ? 0 : a.sum();
    }

    /** Adds every counter of {@code other} into this one. */
    public void addAll(PipelineHealth other) {
        other.counters.forEach((k, v) -> add(k, v.sum()));
    }

    /** A sorted copy of all non-zero counters. */
    public Map<String, Long> snapshot() {
        Map<String, Long> m = new TreeMap<>();
        counters.forEach((k, v) -> {
            long s = v.sum();
            if (s != 0) {
                m.put(k, s);
            }
        });
        return m;
    }

    /** A one-line explanation of a counter for the Pipeline Health view and --help. */
    public static String describe(String counter) {
        return switch (counter) {
            case PACKETS_TOTAL -> "Packets read from the capture";
            case PACKETS_TCP -> "TCP packets handed to reassembly";
            case PACKETS_NON_TCP -> "IP packets that are not TCP (UDP, ICMP ...): not analysed";
            case PACKETS_NON_IP -> "Link-layer frames that carry no IP (ARP, LLDP ...): not analysed";
            case PACKETS_UNSUPPORTED_LINK -> "Packets of a link type Heron cannot decode";
            case PACKETS_MALFORMED -> "Packets whose headers are cut short or inconsistent";
            case PACKETS_TRUNCATED_SNAPLEN -> "Packets cut by the capture's snaplen: their missing bytes become gaps";
            case PACKETS_IP_FRAGMENT -> "IP fragments (not reassembled): their payload is a gap";
            case PACKETS_TCP_NO_PAYLOAD -> "TCP packets without payload (handshake, ACKs)";
            case TCP_CONNECTIONS -> "TCP connections seen";
            case TCP_RETRANSMITTED -> "TCP segments whose bytes had already been delivered (dropped as duplicates)";
            case TCP_OUT_OF_ORDER -> "TCP segments that arrived ahead of a hole and were buffered";
            case TCP_GAPS -> "Holes in a TCP stream that were never filled (lost or not captured)";
            case TCP_GAP_BYTES -> "Bytes missing in those holes";
            case TCP_MIDSTREAM -> "Connections picked up without their handshake";
            case TCP_BUFFER_OVERFLOW -> "Out-of-order bytes dropped because a connection's buffer was full";
            case TCP_IDLE_EVICTED -> "Connections closed by Heron after being idle";
            case STREAMS_TLS -> "Connection directions carrying TLS (encrypted; not decoded)";
            case STREAMS_NOT_HTTP -> "Connection directions carrying something other than HTTP/1.x";
            case BYTES_NOT_HTTP -> "Payload bytes not parsed as HTTP (TLS, other protocols, resync skips)";
            case HTTP_REQUESTS -> "HTTP requests parsed";
            case HTTP_RESPONSES -> "HTTP final responses parsed";
            case HTTP_EXCHANGES -> "HTTP exchanges (request with or without its response)";
            case HTTP_UNANSWERED -> "Requests without a response in the capture";
            case HTTP_ORPHAN_RESPONSES -> "Responses without a request (capture started mid-exchange)";
            case HTTP_RESPONSES_BEFORE_REQUEST -> "Responses captured before their request (paired when it came)";
            case HTTP_PARSE_ERRORS -> "Malformed HTTP messages (the stream resynchronised at the next message)";
            case HTTP_INCOMPLETE -> "Messages cut off by the end of the capture or a gap";
            case HTTP_INTERIM -> "1xx interim responses skipped (100 Continue ...)";
            case HTTP_SSE_EVENTS -> "Server-Sent Events parsed";
            case BODY_CAPPED -> "Bodies longer than the body cap: truncated, original length kept";
            case BODY_DECOMPRESSION_REFUSED -> "Compressed bodies that expanded past the decompression limit";
            case BODY_DECOMPRESSION_FAILED -> "Compressed bodies that could not be decoded";
            case BODY_ENCODING_UNSUPPORTED -> "Bodies with a content encoding Heron does not decode (br, zstd ...)";
            case FILE_DAMAGED_BYTES -> "Bytes of the capture file that could not be read as records";
            case FILE_SKIPPED_BLOCKS -> "pcapng blocks skipped (unknown type or damaged)";
            case CALLS -> "LLM calls decoded";
            case CALL_DECODE_ERRORS -> "LLM calls decoded only in part (invalid JSON, truncated stream ...)";
            case EXCHANGES_LABELLED -> "Exchanges on an LLM API that are no call (token counting, model lists ...)";
            case CONTRIBUTION_ERRORS -> "Failures inside plug-in contributions (decoder, profile ...)";
            case TURNS_UNPLACED_CALLS -> "Calls the turn tracker could not place in a turn";
            default -> counter;
        };
    }
}
