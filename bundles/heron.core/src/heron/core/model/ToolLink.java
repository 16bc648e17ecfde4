package heron.core.model;

/**
 * A tool call chained from the call whose response asked for it to the later call whose request
 * carries its result. {@code resultCallId} is 0 when no result was seen.
 */
public record ToolLink(String toolCallId, String toolName, long askedByCallId, long resultCallId, long durationNanos,
        boolean isError) {
}
