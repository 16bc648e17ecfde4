package heron.core.export;

import java.util.Map;

/** What an export wrote and what it skipped, by reason. */
public record ExportResult(long written, long skipped, Map<String, Long> skippedByReason) {
    @Override
    public String toString() {
        return "written " + written + ", skipped " + skipped + (skipped > 0 ? " " + skippedByReason : "");
    }
}
