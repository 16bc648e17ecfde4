package heron.agents.profiles;

import heron.agents.Conversations;
import heron.core.agents.AgentCallInfo;
import heron.core.agents.AgentProfile;
import heron.core.model.HttpExchange;
import heron.core.model.LlmCall;

/**
 * Any client running a tool loop on any wire API, with no cooperation from the client. Asked last.
 * <ul>
 * <li>Recognised when the call offers, asks for or returns tools (plain one-shot completions stay
 * plain calls).</li>
 * <li>Session: synthesised from the conversation's opening (first user text plus the model's first
 * tool-call id or text, see {@link Conversations#openingKey}) and the server host, so legs of the
 * same conversation seen through a proxy stay apart.</li>
 * <li>No auxiliary calls and no sub-agents: nothing on the wire tells them apart generically.</li>
 * </ul>
 */
public final class GenericProfile implements AgentProfile {

    @Override
    public boolean recognises(LlmCall call, HttpExchange exchange) {
        return Conversations.hasToolActivity(call);
    }

    @Override
    public AgentCallInfo classify(LlmCall call, HttpExchange exchange) {
        return Conversations.loopStep(sessionOf(call), call);
    }

    /** The server host and the conversation's opening; a call of its own when it has no opening. */
    static String sessionOf(LlmCall call) {
        String opening = Conversations.openingKey(call);
        return opening == null ? "call-" + call.id()
                : (call.host() == null ? "" : call.host() + "/") + opening;
    }

    @Override
    public boolean isTerminal(LlmCall call) {
        return Conversations.answeredWithoutTools(call);
    }
}
