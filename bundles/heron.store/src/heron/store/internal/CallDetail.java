package heron.store.internal;

import java.util.List;

import heron.core.model.Message;
import heron.core.model.ToolCall;
import heron.core.model.ToolDefinition;
import heron.core.model.ToolResult;

/**
 * The list-valued and long-text parts of an LlmCall, stored together as one JSON document in
 * {@code llm_call.detail}: views never filter on them, and one column is one value to write,
 * mask and read.
 */
public record CallDetail(List<ToolDefinition> toolsOffered, List<ToolCall> toolCalls, List<ToolResult> toolResults,
        String systemPrompt, List<Message> messages, String outputText, String reasoningText) {
}
