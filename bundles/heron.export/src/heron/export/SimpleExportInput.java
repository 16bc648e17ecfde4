package heron.export;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import heron.core.export.ExportInput;
import heron.core.model.AgentSession;
import heron.core.model.AgentTurn;
import heron.core.model.Capture;
import heron.core.model.HttpExchange;
import heron.core.model.LlmCall;

/**
 * An {@link ExportInput} over entities held in memory: the selection (what is exported) plus the
 * entities it refers to (the calls of a selected turn, the exchange of a selected call), which are
 * found by id but not exported on their own. Callers that read from a store fill it the same way.
 */
public final class SimpleExportInput implements ExportInput {
    private final List<Capture> captures;
    private final List<LlmCall> calls;
    private final List<AgentTurn> turns;
    private final List<AgentSession> sessions;
    private final List<HttpExchange> exchanges;
    private final Map<Long, LlmCall> callById;
    private final Map<Long, AgentTurn> turnById;
    private final Map<Long, HttpExchange> exchangeById;
    private final Map<Long, Capture> captureByCall;

    private SimpleExportInput(Builder b) {
        captures = List.copyOf(b.captures);
        calls = List.copyOf(b.calls);
        turns = List.copyOf(b.turns);
        sessions = List.copyOf(b.sessions);
        exchanges = List.copyOf(b.exchanges);
        callById = new HashMap<>(b.callById);
        turnById = new HashMap<>(b.turnById);
        exchangeById = new HashMap<>(b.exchangeById);
        captureByCall = new HashMap<>(b.captureByCall);
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public List<Capture> captures() {
        return captures;
    }

    @Override
    public List<LlmCall> calls() {
        return calls;
    }

    @Override
    public List<AgentTurn> turns() {
        return turns;
    }

    @Override
    public List<AgentSession> sessions() {
        return sessions;
    }

    @Override
    public List<HttpExchange> exchanges() {
        return exchanges;
    }

    @Override
    public LlmCall call(long id) {
        return callById.get(id);
    }

    @Override
    public AgentTurn turn(long id) {
        return turnById.get(id);
    }

    @Override
    public HttpExchange exchange(long id) {
        return exchangeById.get(id);
    }

    @Override
    public Capture captureOf(LlmCall call) {
        Capture c = call == null ? null : captureByCall.get(call.id());
        return c != null ? c : ExportInput.super.captureOf(call);
    }

    /** Collects the selection ({@code select*}) and the look-up context ({@code known*}). */
    public static final class Builder {
        private final List<Capture> captures = new ArrayList<>();
        private final List<LlmCall> calls = new ArrayList<>();
        private final List<AgentTurn> turns = new ArrayList<>();
        private final List<AgentSession> sessions = new ArrayList<>();
        private final List<HttpExchange> exchanges = new ArrayList<>();
        private final Map<Long, LlmCall> callById = new HashMap<>();
        private final Map<Long, AgentTurn> turnById = new HashMap<>();
        private final Map<Long, HttpExchange> exchangeById = new HashMap<>();
        private final Map<Long, Capture> captureByCall = new HashMap<>();

        public Builder capture(Capture c) {
            captures.add(c);
            return this;
        }

        /** Makes calls findable by id without selecting them, optionally naming their capture. */
        public Builder knownCalls(Iterable<LlmCall> cs, Capture from) {
            for (LlmCall c : cs) {
                callById.put(c.id(), c);
                if (from != null) {
                    captureByCall.put(c.id(), from);
                }
            }
            return this;
        }

        public Builder knownTurns(Iterable<AgentTurn> ts) {
            for (AgentTurn t : ts) {
                turnById.put(t.id(), t);
            }
            return this;
        }

        public Builder knownExchanges(Iterable<HttpExchange> xs) {
            for (HttpExchange x : xs) {
                exchangeById.put(x.id(), x);
            }
            return this;
        }

        /** Selects calls for export (and makes them findable by id). */
        public Builder selectCalls(Iterable<LlmCall> cs) {
            for (LlmCall c : cs) {
                calls.add(c);
                callById.put(c.id(), c);
            }
            return this;
        }

        public Builder selectTurns(Iterable<AgentTurn> ts) {
            for (AgentTurn t : ts) {
                turns.add(t);
                turnById.put(t.id(), t);
            }
            return this;
        }

        public Builder selectSessions(Iterable<AgentSession> ss) {
            for (AgentSession s : ss) {
                sessions.add(s);
            }
            return this;
        }

        public Builder selectExchanges(Iterable<HttpExchange> xs) {
            for (HttpExchange x : xs) {
                exchanges.add(x);
                exchangeById.put(x.id(), x);
            }
            return this;
        }

        public SimpleExportInput build() {
            return new SimpleExportInput(this);
        }
    }
}
