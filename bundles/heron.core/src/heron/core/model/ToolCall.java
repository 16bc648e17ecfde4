package heron.core.model;

/** A tool call the model asked for. {@code argumentsJson} is JSON text (an object, normally). */
public record ToolCall(String id, String name, String argumentsJson) {
}
