package heron.pipeline;

import java.util.List;
import java.util.Map;

import heron.core.capture.CaptureDamage;
import heron.core.model.AgentSession;
import heron.core.model.AgentTurn;
import heron.core.model.Capture;
import heron.core.model.Connection;
import heron.core.model.ToolLink;

/**
 * Everything one import found, in an order that is the same for any worker count. Exchange bodies
 * and the calls' conversations are not kept here: they went to the {@link ImportSink}.
 *
 * @param connections by id
 * @param exchanges   by id
 * @param calls       every LLM call's summary with its agent tag, by request time then id (the turn
 *                    tracker's order)
 * @param turns       by start time then id
 * @param sessions    by start time then id
 * @param toolLinks   by asking call, then position
 */
public record ImportResult(Capture capture, Map<String, Long> health, CaptureDamage damage,
        List<Connection> connections, List<ExchangeSummary> exchanges, List<CallSummary> calls, List<AgentTurn> turns,
        List<AgentSession> sessions, List<ToolLink> toolLinks, long elapsedNanos) {

    public boolean damaged() {
        return damage.any();
    }
}
