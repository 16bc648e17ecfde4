package heron.pipeline;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import heron.core.export.ExportInput;
import heron.core.model.AgentSession;
import heron.core.model.AgentTurn;
import heron.core.model.Capture;
import heron.core.model.EntityRef;
import heron.core.model.HttpExchange;
import heron.core.model.LlmCall;
import heron.export.SimpleExportInput;
import heron.store.HeronStore;
import heron.store.query.TurnQueries.SessionWithTurns;
import heron.store.query.TurnQueries.TurnWithCalls;

/**
 * Loads a selection of entities (what the user right-clicked, or what `heron analyze --export-*`
 * names) from the store into an {@link ExportInput}, with everything the selected entities refer
 * to: a turn's calls, a session's turns and calls, a call's exchange. The UI and the CLI both
 * export through this one way.
 */
public final class ExportSelection {
    private ExportSelection() {
    }

    public static ExportInput load(HeronStore store, long captureId, List<EntityRef> refs) {
        Capture capture = store.captures().get(captureId)
                .orElseThrow(() -> new IllegalArgumentException("no capture " + captureId + " in the database"));
        SimpleExportInput.Builder b = SimpleExportInput.builder().capture(capture);
        Map<Long, LlmCall> calls = new LinkedHashMap<>();
        List<AgentTurn> knownTurns = new ArrayList<>();
        List<AgentTurn> selTurns = new ArrayList<>();
        List<AgentSession> selSessions = new ArrayList<>();
        List<LlmCall> selCalls = new ArrayList<>();
        List<HttpExchange> exchanges = new ArrayList<>();
        for (EntityRef r : refs) {
            switch (r.kind()) {
                case TURN -> store.turns().turnWithCalls(captureId, r.id()).ifPresent(t -> {
                    selTurns.add(t.turn());
                    knownTurns.add(t.turn());
                    t.calls().forEach(c -> calls.put(c.id(), c));
                });
                case SESSION -> store.turns().session(captureId, r.key()).ifPresent(s -> addSession(store, captureId,
                        s, selSessions, knownTurns, calls));
                case CALL -> store.calls().get(captureId, r.id()).ifPresent(c -> {
                    selCalls.add(c);
                    calls.put(c.id(), c);
                    store.exchanges().get(captureId, c.exchangeId()).ifPresent(exchanges::add);
                });
                case EXCHANGE -> store.exchanges().get(captureId, r.id()).ifPresent(exchanges::add);
                default -> {
                    // Packets, connections and captures are not exported as such.
                }
            }
        }
        b.knownCalls(calls.values(), capture).knownTurns(knownTurns).knownExchanges(exchanges);
        b.selectTurns(selTurns).selectSessions(selSessions).selectCalls(selCalls).selectExchanges(
                refs.stream().anyMatch(r -> r.kind() == EntityRef.Kind.EXCHANGE) ? exchanges : List.of());
        return b.build();
    }

    private static void addSession(HeronStore store, long captureId, SessionWithTurns s, List<AgentSession> selSessions,
            List<AgentTurn> knownTurns, Map<Long, LlmCall> calls) {
        selSessions.add(s.session());
        for (AgentTurn t : s.turns()) {
            knownTurns.add(t);
            store.turns().turnWithCalls(captureId, t.id()).map(TurnWithCalls::calls)
                    .ifPresent(cs -> cs.forEach(c -> calls.put(c.id(), c)));
        }
    }

    /** References to every turn (scope "turn") or session (scope "session") of a capture. */
    public static List<EntityRef> all(HeronStore store, long captureId, String scope) {
        if ("session".equals(scope)) {
            return store.turns().sessions(captureId).stream()
                    .map(s -> new EntityRef(captureId, EntityRef.Kind.SESSION, 0, s.id())).toList();
        }
        return store.turns().page(captureId, 0, Integer.MAX_VALUE).stream()
                .map(t -> EntityRef.of(captureId, EntityRef.Kind.TURN, t.id())).toList();
    }
}
