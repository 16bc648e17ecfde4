package heron.core.model;

/**
 * One entry of a capture's frame index. The packet's bytes are not here: they are read back from
 * the capture file at {@code fileOffset} (like Wireshark), never copied into the database.
 *
 * @param frame          1-based frame number, as Wireshark numbers them
 * @param fileOffset     byte offset of the packet data (after the record header) in the file
 * @param connectionId   the connection it belongs to, or 0 when it belongs to none
 * @param summary        a one-line summary, or null; the capture pipeline leaves it null (the views
 *                       derive the Info column from the packet bytes, like Wireshark)
 */
public record PacketRecord(long frame, long timestampNanos, long fileOffset, int capturedLength,
        int originalLength, int linkType, long connectionId, Direction direction, String summary) {
}
