package heron.agents;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import heron.core.model.ToolLink;

/** Per-tool statistics over {@link ToolLink}s: how often a tool ran, how often it failed, how long it took. */
public final class ToolStats {

    /**
     * @param toolName     the tool's name ("?" when the model gave none)
     * @param count        tool calls asked for
     * @param resolved     of those, calls whose result was seen
     * @param errors       results flagged as errors
     * @param errorRate    errors / resolved, 0 when nothing was resolved
     * @param medianNanos  median tool time (result request minus asking call end) over resolved calls, or null
     */
    public record ToolStat(String toolName, int count, int resolved, int errors, double errorRate, Long medianNanos) {
    }

    private ToolStats() {
    }

    /** Statistics per tool name, ordered by name. */
    public static List<ToolStat> of(Collection<ToolLink> links) {
        Map<String, List<ToolLink>> byName = new TreeMap<>();
        for (ToolLink l : links) {
            byName.computeIfAbsent(l.toolName() == null ? "?" : l.toolName(), k -> new ArrayList<>()).add(l);
        }
        List<ToolStat> out = new ArrayList<>(byName.size());
        for (var e : byName.entrySet()) {
            List<ToolLink> ls = e.getValue();
            long[] durations = ls.stream().filter(l -> l.resultCallId() != 0).mapToLong(ToolLink::durationNanos)
                    .toArray();
            int errors = (int) ls.stream().filter(ToolLink::isError).count();
            out.add(new ToolStat(e.getKey(), ls.size(), durations.length, errors,
                    durations.length == 0 ? 0 : (double) errors / durations.length, median(durations)));
        }
        return out;
    }

    /** Median of the values (mean of the middle two for an even count), or null when empty. */
    static Long median(long[] values) {
        if (values.length == 0) {
            return null;
        }
        long[] v = values.clone();
        Arrays.sort(v);
        int mid = v.length / 2;
        return v.length % 2 == 1 ? v[mid] : v[mid - 1] + (v[mid] - v[mid - 1]) / 2;
    }
}
