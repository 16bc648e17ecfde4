package heron.ui.views.turns;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import heron.core.model.AgentTurn;
import heron.core.model.LlmCall;
import heron.core.model.ToolCall;
import heron.core.model.ToolResult;
import heron.ui.views.Format;

/**
 * A turn told as the agent's narrative: user prompt → call → tool call → tool result → ... →
 * final answer. Plain view model (no widgets), so it is tested without a display.
 */
public final class TurnNarrative {
    /** One line of the narrative; {@code callId} links it to the call it came from. */
    public record Step(String kind, String text, long callId, boolean error) {
    }

    private TurnNarrative() {
    }

    public static List<Step> of(AgentTurn turn, List<LlmCall> calls) {
        List<Step> out = new ArrayList<>();
        if (turn.userInputPreview() != null && !turn.userInputPreview().isBlank()) {
            out.add(new Step("user", Format.preview(turn.userInputPreview(), 200), 0, false));
        }
        Set<String> resultsShown = new HashSet<>();
        for (LlmCall c : calls) {
            for (ToolResult r : c.toolResults()) {
                if (resultsShown.add(r.toolCallId())) {
                    out.add(new Step("tool result", r.toolCallId() + (r.isError() ? " (error): " : ": ")
                            + Format.preview(r.content(), 160), c.id(), r.isError()));
                }
            }
            String role = c.agent() != null && c.agent().subagent() ? "sub-agent call"
                    : c.agent() != null && c.agent().auxiliary() ? "side call" : "call";
            out.add(new Step(role, "#" + c.id() + "  " + c.model() + "  " + (c.status() == 0 ? "no response"
                    : c.status()) + "  " + Format.ms(c.e2eMs()) + " ms  in " + Format.num(c.usage().input()) + " out "
                    + Format.num(c.usage().output()) + (c.finishReason() == null ? "" : "  " + c.finishReason()),
                    c.id(), c.isError()));
            if (c.reasoningText() != null && !c.reasoningText().isBlank()) {
                out.add(new Step("thinking", Format.preview(c.reasoningText(), 160), c.id(), false));
            }
            for (ToolCall t : c.toolCalls()) {
                out.add(new Step("tool call", t.name() + " " + Format.preview(t.argumentsJson(), 160), c.id(), false));
            }
            if (c.toolCalls().isEmpty() && c.outputText() != null && !c.outputText().isBlank()) {
                boolean last = c == calls.get(calls.size() - 1);
                out.add(new Step(last ? "final answer" : "assistant", Format.preview(c.outputText(), 200), c.id(),
                        false));
            }
        }
        return out;
    }
}
