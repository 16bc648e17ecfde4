package heron.export.internal;

import java.util.LinkedHashMap;
import java.util.Map;

import heron.core.export.ExportResult;

/** Counts written records and skipped entities by reason, in first-seen order of reasons. */
public final class SkipCounter {
    private long written;
    private long skipped;
    private final Map<String, Long> byReason = new LinkedHashMap<>();

    public void written() {
        written++;
    }

    public void skip(String reason) {
        skipped++;
        byReason.merge(reason, 1L, Long::sum);
    }

    public ExportResult result() {
        return new ExportResult(written, skipped, java.util.Collections.unmodifiableMap(new LinkedHashMap<>(byReason)));
    }
}
