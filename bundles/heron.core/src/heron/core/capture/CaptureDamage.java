package heron.core.capture;

/**
 * What a capture source could not read: bytes it skipped, blocks it passed over and the first
 * reason, so "a truncated or corrupt capture still yields everything before the damage plus a
 * count of what was skipped and why".
 */
public final class CaptureDamage {
    private long skippedBytes;
    private long skippedBlocks;
    private String firstReason;
    private long firstOffset = -1;

    public void record(long offset, long bytes, String reason) {
        skippedBytes += bytes;
        skippedBlocks++;
        if (firstReason == null) {
            firstReason = reason;
            firstOffset = offset;
        }
    }

    public boolean any() {
        return skippedBlocks > 0;
    }

    public long skippedBytes() {
        return skippedBytes;
    }

    public long skippedBlocks() {
        return skippedBlocks;
    }

    public String firstReason() {
        return firstReason;
    }

    public long firstOffset() {
        return firstOffset;
    }

    @Override
    public String toString() {
        return any() ? skippedBlocks + " damaged region(s), " + skippedBytes + " bytes skipped; first at offset "
                + firstOffset + ": " + firstReason : "no damage";
    }
}
