package heron.pipeline;

import java.util.List;
import java.util.Map;

import heron.core.capture.CaptureDamage;
import heron.core.model.AgentSession;
import heron.core.model.AgentTurn;
import heron.core.model.Capture;
import heron.core.model.Connection;
import heron.core.model.LlmCall;
import heron.core.model.ToolLink;

/**
 * Everything one import found, sorted by id (so it is the same for any worker count). Exchange
 * bodies are not kept here: they went to the {@link ImportSink}.
 */
public record ImportResult(Capture capture, Map<String, Long> health, CaptureDamage damage,
        List<Connection> connections, List<ExchangeSummary> exchanges, List<LlmCall> calls, List<AgentTurn> turns,
        List<AgentSession> sessions, List<ToolLink> toolLinks, long elapsedNanos) {

    public boolean damaged() {
        return damage.any();
    }
}
