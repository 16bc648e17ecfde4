package heron.core.model;

/** A tool offered to the model in the request; {@code parametersJson} is its JSON schema as text. */
public record ToolDefinition(String name, String description, String parametersJson) {
}
