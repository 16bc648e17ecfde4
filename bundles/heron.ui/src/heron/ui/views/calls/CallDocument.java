package heron.ui.views.calls;

import java.util.ArrayList;
import java.util.List;

import heron.core.model.HttpExchange;
import heron.core.model.LlmCall;
import heron.core.model.Message;
import heron.core.model.SseEvent;
import heron.core.model.ToolCall;
import heron.core.model.ToolDefinition;
import heron.ui.views.Format;
import heron.ui.views.JsonText;

/**
 * What the Call Detail view shows for one call, built off the UI thread: a tree of the
 * conversation and the raw HTTP texts. Plain view model, tested without a display.
 */
public record CallDocument(String title, List<Node> nodes, String rawRequest, String rawResponse) {

    /** A tree node: label, one-line or multi-line value, children. */
    public record Node(String label, String value, List<Node> children, boolean expanded) {
        static Node leaf(String label, String value) {
            return new Node(label, value, List.of(), false);
        }
    }

    public static CallDocument of(LlmCall c, HttpExchange ex) {
        List<Node> nodes = new ArrayList<>();
        List<Node> overview = new ArrayList<>();
        overview.add(Node.leaf("Wire API", c.wireApi()));
        overview.add(Node.leaf("Model", c.requestModel() + (c.responseModel() != null
                && !c.responseModel().equals(c.requestModel()) ? " → " + c.responseModel() : "")));
        overview.add(Node.leaf("Host / server", c.host() + (c.serverKind() == null ? "" : "  (" + c.serverKind() + ")")));
        overview.add(Node.leaf("Status", c.status() + (c.stream() ? ", streamed" : "")));
        overview.add(Node.leaf("Finish", c.finishReason() + (c.finish() == null ? "" : "  (" + c.finish().id() + ")")));
        overview.add(Node.leaf("Timing", "TTFT " + Format.ms(c.ttftMs()) + " ms, E2E " + Format.ms(c.e2eMs())
                + " ms" + (c.tpotMs() == null ? "" : ", TPOT " + Format.ms(c.tpotMs()) + " ms")));
        overview.add(Node.leaf("Tokens", "in " + Format.num(c.usage().input()) + ", out "
                + Format.num(c.usage().output()) + ", cache read " + Format.num(c.usage().cacheRead())
                + ", cache write " + Format.num(c.usage().cacheWrite()) + ", reasoning "
                + Format.num(c.usage().reasoning())));
        if (c.agent() != null) {
            overview.add(Node.leaf("Agent", c.agent().agentKind() + ", session " + c.agent().sessionId() + ", turn "
                    + c.agent().turnId() + (c.agent().auxiliary() ? ", side call" : "")
                    + (c.agent().subagent() ? ", sub-agent" : "")));
        }
        if (c.error() != null) {
            overview.add(Node.leaf("Error", c.error().type() + ": " + c.error().message()
                    + (c.error().retryAfter() == null ? "" : " (retry-after " + c.error().retryAfter() + ")")));
        }
        if (c.decodeError() != null) {
            overview.add(Node.leaf("Decode problem", c.decodeError()));
        }
        nodes.add(new Node("Call #" + c.id(), c.model(), overview, true));
        if (c.systemPrompt() != null) {
            nodes.add(Node.leaf("System prompt", c.systemPrompt()));
        }
        List<Node> msgs = new ArrayList<>();
        for (Message m : c.messages()) {
            List<Node> parts = new ArrayList<>();
            if (m.reasoning() != null) {
                parts.add(Node.leaf("reasoning", m.reasoning()));
            }
            for (ToolCall t : m.toolCalls()) {
                parts.add(Node.leaf("tool call " + t.name(), t.id() + " " + t.argumentsJson()));
            }
            String label = m.role() + (m.toolCallId() != null ? " ← " + m.toolCallId() : "") + (m.isError() ? " (error)"
                    : "");
            msgs.add(new Node(label, m.text(), parts, !parts.isEmpty()));
        }
        nodes.add(new Node("Messages (" + c.messages().size() + ")", null, msgs, true));
        List<Node> resp = new ArrayList<>();
        if (c.reasoningText() != null) {
            resp.add(Node.leaf("reasoning", c.reasoningText()));
        }
        if (c.outputText() != null) {
            resp.add(Node.leaf("text", c.outputText()));
        }
        for (ToolCall t : c.toolCalls()) {
            resp.add(Node.leaf("tool call " + t.name(), t.id() + " " + t.argumentsJson()));
        }
        nodes.add(new Node("Response", null, resp, true));
        List<Node> tools = new ArrayList<>();
        for (ToolDefinition t : c.toolsOffered()) {
            tools.add(Node.leaf(t.name(), t.description()));
        }
        nodes.add(new Node("Tools offered (" + tools.size() + ")", null, tools, false));
        String title = "#" + c.id() + "  " + c.wireApi() + "  " + c.model() + "  " + c.status();
        return new CallDocument(title, nodes, rawRequest(ex), rawResponse(ex));
    }

    public static String rawRequest(HttpExchange ex) {
        if (ex == null) {
            return "";
        }
        var r = ex.request();
        StringBuilder b = new StringBuilder();
        b.append(r.method()).append(' ').append(r.target()).append(' ').append(r.version()).append('\n');
        r.headers().list().forEach(h -> b.append(h.name()).append(": ").append(h.value()).append('\n'));
        b.append('\n').append(JsonText.pretty(r.body().text()));
        if (r.body().truncated()) {
            b.append("\n\n[body truncated: ").append(r.body().decodedLength()).append(" bytes, ")
                    .append(r.body().length()).append(" kept]");
        }
        return b.toString();
    }

    public static String rawResponse(HttpExchange ex) {
        if (ex == null || ex.response() == null) {
            return "(no response in the capture)";
        }
        var r = ex.response();
        StringBuilder b = new StringBuilder();
        b.append(r.version()).append(' ').append(r.status()).append(' ').append(r.reason()).append('\n');
        r.headers().list().forEach(h -> b.append(h.name()).append(": ").append(h.value()).append('\n'));
        b.append('\n');
        if (!r.events().isEmpty()) {
            for (SseEvent e : r.events()) {
                b.append('[').append(Format.time(e.timestampNanos())).append("] ");
                if (e.event() != null) {
                    b.append("event: ").append(e.event()).append("  ");
                }
                b.append("data: ").append(e.data()).append('\n');
            }
        } else {
            b.append(JsonText.pretty(r.body().text()));
        }
        if (!r.complete()) {
            b.append("\n[response incomplete in the capture]");
        }
        return b.toString();
    }
}
