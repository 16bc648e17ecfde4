package heron.agents.profiles;

import java.util.Set;

import heron.agents.Conversations;
import heron.core.agents.AgentCallInfo;
import heron.core.agents.AgentProfile;
import heron.core.model.HttpExchange;
import heron.core.model.LlmCall;

/**
 * Hermes Agent (Nous Research), on any wire API. It talks through the vendors' Python SDKs and
 * sends their headers, so only the request body tells it apart.
 * <ul>
 * <li>Recognised by its own tools: the call offers at least two of {@code skill_view},
 * {@code skill_manage}, {@code skills_list}, {@code delegate_task}, {@code session_search},
 * {@code cronjob}. Its tool-less side calls (title generation) are not recognised and stay plain
 * calls.</li>
 * <li>Session: {@code <server host>/} + the conversation's opening, as for the generic profile
 * (no session header).</li>
 * </ul>
 */
public final class HermesProfile implements AgentProfile {
    static final Set<String> TOOLS = Set.of("skill_view", "skill_manage", "skills_list", "delegate_task",
            "session_search", "cronjob");

    @Override
    public boolean recognises(LlmCall call, HttpExchange exchange) {
        return ToolFingerprint.offersTwoOf(call, TOOLS);
    }

    @Override
    public AgentCallInfo classify(LlmCall call, HttpExchange exchange) {
        return Conversations.loopStep(GenericProfile.sessionOf(call), call);
    }

    @Override
    public boolean isTerminal(LlmCall call) {
        return Conversations.answeredWithoutTools(call);
    }
}
