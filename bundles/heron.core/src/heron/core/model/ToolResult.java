package heron.core.model;

/** A tool result sent back to the model in a request, matched to its call by id. */
public record ToolResult(String toolCallId, String content, boolean isError) {
}
