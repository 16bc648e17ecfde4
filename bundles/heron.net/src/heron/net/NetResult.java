package heron.net;

import java.util.SortedSet;

import heron.core.capture.CaptureDamage;

/**
 * Summary of one {@link NetPipeline#run}.
 *
 * @param format     the capture format ("pcap", "pcap-ns", "pcapng", "live")
 * @param packets    packets read
 * @param bytes      captured packet bytes read (sum of captured lengths)
 * @param firstNanos timestamp of the first packet (0 if none)
 * @param lastNanos  timestamp of the last packet (0 if none)
 * @param linkTypes  LINKTYPE_* numbers seen
 * @param damage     what the reader had to skip
 */
public record NetResult(String format, long packets, long bytes, long firstNanos, long lastNanos,
        SortedSet<Integer> linkTypes, CaptureDamage damage) {
}
