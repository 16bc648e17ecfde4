package heron.core.export;

import java.util.List;

import heron.core.model.AgentSession;
import heron.core.model.AgentTurn;
import heron.core.model.Capture;
import heron.core.model.HttpExchange;
import heron.core.model.LlmCall;

/** The selection handed to an exporter, with look-ups for what the selected entities refer to. */
public interface ExportInput {
    List<Capture> captures();

    List<LlmCall> calls();

    List<AgentTurn> turns();

    List<AgentSession> sessions();

    List<HttpExchange> exchanges();

    LlmCall call(long id);

    AgentTurn turn(long id);

    HttpExchange exchange(long id);

    /**
     * The capture a call was read from, for tracing an exported record to its evidence; null when
     * unknown. The default answers the only capture when the input holds exactly one.
     */
    default Capture captureOf(LlmCall call) {
        List<Capture> all = captures();
        return all != null && all.size() == 1 ? all.get(0) : null;
    }
}
