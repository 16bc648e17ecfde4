package heron.core.model;

import java.util.List;

/**
 * One conversation message in a wire-API-neutral form close to OpenAI chat: role is "system",
 * "user", "assistant" or "tool". An Anthropic user message holding several tool_result blocks
 * becomes several "tool" messages, so every wire API reads the same way downstream.
 */
public record Message(String role, String text, String reasoning, List<ToolCall> toolCalls, String toolCallId,
        boolean isError) {

    public Message {
        toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
    }

    public static Message text(String role, String text) {
        return new Message(role, text, null, List.of(), null, false);
    }

    public static Message toolResult(String toolCallId, String content, boolean isError) {
        return new Message("tool", content, null, List.of(), toolCallId, isError);
    }
}
