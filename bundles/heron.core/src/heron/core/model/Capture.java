package heron.core.model;

import java.util.List;

/**
 * A capture file as evidence: where it is, what it is, its sha256, and what it holds.
 *
 * @param format     "pcap", "pcap-ns" (nanosecond classic pcap) or "pcapng"
 * @param linkTypes  the distinct link types of its interfaces (LINKTYPE_* numbers)
 * @param firstNanos timestamp of the first packet, ns since the epoch (0 if empty)
 */
public record Capture(long id, String path, String format, long sizeBytes, String sha256,
        List<Integer> linkTypes, long packetCount, long firstNanos, long lastNanos, ImportStatus status) {

    public enum ImportStatus {
        /** Import still running (or the process died during it). */
        IMPORTING,
        /** Every byte of the file was read. */
        COMPLETE,
        /** Read until damage; what came before is kept, the rest counted in pipeline health. */
        DAMAGED,
        /** The user cancelled; what was read so far is kept. */
        CANCELLED
    }
}
