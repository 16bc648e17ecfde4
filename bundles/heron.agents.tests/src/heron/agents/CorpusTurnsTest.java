package heron.agents;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import heron.core.agents.AgentProfileRegistry;
import heron.core.decode.DecodeResult;
import heron.core.decode.WireApiDecoderRegistry;
import heron.core.health.PipelineHealth;
import heron.core.model.AgentSession;
import heron.core.model.AgentTurn;
import heron.core.model.HttpExchange;
import heron.core.model.LlmCall;
import heron.testing.Captures;
import heron.testing.Corpus;

/**
 * The shared corpus end to end (capture -> heron.net -> heron.decoders -> TurnTracker): every real-agent
 * capture grouped exactly as its truth.json says, and the heron-synth fixtures with the turn counts and
 * totals of Heron's golden projections.
 */
class CorpusTurnsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What one capture gave: exchanges in request order, their calls, and the tracker's result. */
    record Run(List<HttpExchange> exchanges, Map<Long, LlmCall> callByExchange, TurnResult result,
            PipelineHealth health) {
    }

    static Run run(Path capture) throws IOException {
        PipelineHealth health = new PipelineHealth();
        List<HttpExchange> exchanges = Captures.exchanges(capture, health);
        WireApiDecoderRegistry decoders = WireApiDecoderRegistry.fromPlatform();
        TurnTracker tracker = new TurnTracker(AgentProfileRegistry.fromPlatform(), health);
        Map<Long, LlmCall> callByExchange = new HashMap<>();
        List<HttpExchange> decoded = new ArrayList<>();
        for (HttpExchange e : exchanges) {
            DecodeResult r = decoders.decode(e, health);
            decoded.add(r.exchange());
            if (r.call() != null) {
                tracker.add(r.call(), r.exchange());
                callByExchange.put(r.exchange().id(), r.call());
            }
        }
        decoded.sort(Comparator.comparingLong((HttpExchange e) -> e.request().firstByteNanos())
                .thenComparingLong(HttpExchange::id));
        return new Run(decoded, callByExchange, tracker.finish(), health);
    }

    @TestFactory
    Stream<DynamicTest> realAgentCapturesAreGroupedAsTheTruthSays() throws IOException {
        List<DynamicTest> tests = perCapture(truth -> "real-agent".equals(truth.path("source_kind").asText()),
                CorpusTurnsTest::checkRealAgent);
        assertFalse(tests.isEmpty(), "no real-agent captures in " + Corpus.shared());
        return tests.stream();
    }

    /** What a corpus test checks of one capture, given its truth. */
    interface CaptureCheck {
        void check(Path capture, JsonNode truth) throws Throwable;
    }

    /**
     * One dynamic test per capture of the shared corpus whose truth {@code selects}, named by the
     * capture's file (the test is skipped when the corpus is absent).
     */
    static List<DynamicTest> perCapture(Predicate<JsonNode> selects, CaptureCheck check) throws IOException {
        Path dir = Corpus.shared();
        List<DynamicTest> tests = new ArrayList<>();
        for (Path t : Corpus.truthFiles(dir)) {
            JsonNode truth = JSON.readTree(t.toFile());
            if (selects.test(truth)) {
                Path capture = dir.resolve(truth.path("file").asText());
                tests.add(DynamicTest.dynamicTest(capture.getFileName().toString(), () -> check.check(capture, truth)));
            }
        }
        return tests;
    }

    /**
     * Maps the truth's exchange indexes (server arrival order) to our calls: exchanges sorted by request
     * time, each truth exchange matched to the nearest unused one with the same method, target and client
     * endpoint (side calls and main-loop calls start within milliseconds of each other on different
     * connections, so time alone could swap them).
     */
    static Map<Integer, Long> mapIndexes(JsonNode truth, Run run) {
        return mapIndexes(truth, run, true);
    }

    static Map<Integer, Long> mapIndexes(JsonNode truth, Run run, boolean strict) {
        Map<Integer, Long> out = new HashMap<>();
        Set<Long> used = new HashSet<>();
        for (JsonNode e : truth.path("exchanges")) {
            long t = (long) (e.path("t_request").asDouble() * 1e9);
            HttpExchange best = null;
            for (HttpExchange x : run.exchanges()) {
                if (used.contains(x.id()) || !x.request().method().equals(e.path("method").asText())
                        || !x.request().target().equals(e.path("path").asText())
                        || (e.path("tcp_connection").has("client")
                                && !x.client().toString().equals(e.path("tcp_connection").path("client").asText()))) {
                    continue;
                }
                if (best == null || Math.abs(x.request().firstByteNanos() - t) < Math.abs(best.request().firstByteNanos() - t)) {
                    best = x;
                }
            }
            if (best == null && !strict) {
                continue; // damaged captures: an exchange heron.net could not rebuild
            }
            assertNotNull(best, "no exchange for truth exchange " + e.path("index"));
            used.add(best.id());
            LlmCall c = run.callByExchange().get(best.id());
            if (c != null) {
                out.put(e.path("index").asInt(), c.id());
            }
        }
        return out;
    }

    static void checkRealAgent(Path capture, JsonNode truth) throws IOException {
        Run run = run(capture);
        Map<Integer, Long> ids = mapIndexes(truth, run);
        List<AgentTurn> turns = run.result().turns();
        String name = capture.getFileName().toString();
        assertEquals(truth.path("turns").size(), turns.size(), () -> name + ": turns " + turns);
        Map<Set<Long>, AgentTurn> bySet = new HashMap<>();
        for (AgentTurn t : turns) {
            bySet.put(new TreeSet<>(t.callIds()), t);
        }
        Map<Integer, Long> turnIdOfTruthTurn = new HashMap<>();
        for (JsonNode tt : truth.path("turns")) {
            Set<Long> expected = new TreeSet<>();
            for (String field : List.of("agent_loop_calls", "side_calls")) {
                for (JsonNode i : tt.path(field)) {
                    Long id = ids.get(i.asInt());
                    assertNotNull(id, name + ": exchange " + i + " was not decoded as a call");
                    expected.add(id);
                }
            }
            AgentTurn got = bySet.get(expected);
            assertNotNull(got, () -> name + ": no turn with calls " + expected + " (truth turn " + tt.path("turn")
                    + "); turns: " + turns.stream().map(AgentTurn::callIds).toList());
            assertEquals(tt.path("complete").asBoolean(true) ? AgentTurn.Status.COMPLETE : AgentTurn.Status.INCOMPLETE,
                    got.status(), name + " turn " + tt.path("turn"));
            assertEquals(truth.path("agent_kind").asText(), got.agentKind(), name);
            assertNotNull(got.userInputPreview(), name + ": user preview");
            assertNotNull(got.finalAnswerPreview(), name + ": final answer preview");
            for (JsonNode i : tt.path("side_calls")) {
                assertTrue(callOf(run, ids.get(i.asInt())).agent().auxiliary(), name + ": side call " + i);
            }
            JsonNode agents = tt.path("agents");
            agents.fields().forEachRemaining(a -> {
                if (!a.getValue().path("parent").isNull()) {
                    for (JsonNode i : a.getValue().path("calls")) {
                        PlacedCall c = callOf(run, ids.get(i.asInt()));
                        assertTrue(c.agent().subagent(), name + ": sub-agent call " + i);
                        assertTrue(c.agent().parentCallId() != 0, name + ": parent of " + i);
                    }
                }
            });
            turnIdOfTruthTurn.put(tt.path("turn").asInt(), got.id());
        }
        List<AgentSession> sessions = run.result().sessions().stream().filter(s -> !s.turnIds().isEmpty()).toList();
        assertEquals(truth.path("sessions").size(), sessions.size(), () -> name + ": sessions " + sessions);
        for (JsonNode ts : truth.path("sessions")) {
            List<Long> expected = new ArrayList<>();
            ts.path("turns").forEach(n -> expected.add(turnIdOfTruthTurn.get(n.asInt())));
            assertTrue(sessions.stream().anyMatch(s -> s.turnIds().equals(expected)),
                    () -> name + ": no session with turns " + expected + " in " + sessions);
        }
        assertEquals(0, run.health().get(PipelineHealth.TURNS_UNPLACED_CALLS), name + ": unplaced calls");

        // Sub-agents of a Claude Code too old to send x-claude-code-agent-id: found by their spawn prompt.
        if (truth.path("turns").toString().contains("\"parent\":\"main\"")) {
            TurnTracker headerless = new TurnTracker(AgentProfileRegistry.fromPlatform(), new PipelineHealth());
            for (HttpExchange x : run.exchanges()) {
                LlmCall c = run.callByExchange().get(x.id());
                if (c != null) {
                    List<heron.core.model.Header> hs = x.request().headers().list().stream()
                            .filter(h -> !h.name().toLowerCase(java.util.Locale.ROOT).startsWith("x-claude-code-agent-id")
                                    && !h.name().toLowerCase(java.util.Locale.ROOT).startsWith("x-claude-code-parent-agent-id"))
                            .toList();
                    var req = x.request();
                    var stripped = new heron.core.model.HttpRequest(req.method(), req.target(), req.version(),
                            new heron.core.model.Headers(hs), req.body(), req.firstByteNanos(), req.lastByteNanos(),
                            req.firstFrame(), req.lastFrame());
                    headerless.add(c, new HttpExchange(x.id(), x.connectionId(), x.sequence(), x.client(), x.server(),
                            stripped, x.response(), x.label()));
                }
            }
            TurnResult h = headerless.finish();
            assertEquals(turns.stream().map(t -> new TreeSet<>(t.callIds())).toList(),
                    h.turns().stream().map(t -> new TreeSet<>(t.callIds())).toList(), name + " without agent-id headers");
            assertEquals(turns.stream().map(AgentTurn::subagents).toList(),
                    h.turns().stream().map(AgentTurn::subagents).toList(), name + " sub-agent names without headers");
        }

        // Same calls, other arrival orders (workers finish connections in any order): same result.
        java.util.Random rnd = new java.util.Random(7);
        for (int i = 0; i < 10; i++) {
            List<HttpExchange> shuffled = new ArrayList<>(run.exchanges());
            Collections.shuffle(shuffled, rnd);
            TurnTracker again = new TurnTracker(AgentProfileRegistry.fromPlatform(), new PipelineHealth());
            for (HttpExchange x : shuffled) {
                LlmCall c = run.callByExchange().get(x.id());
                if (c != null) {
                    again.add(c, x);
                }
            }
            assertEquals(run.result(), again.finish(), name + ": arrival order changed the result");
        }
    }

    static PlacedCall callOf(Run run, long id) {
        return run.result().calls().stream().filter(c -> c.id() == id).findFirst().orElseThrow();
    }

    /**
     * SDK and edge captures have no agent, but their tool loops are found by the generic profile: a turn
     * never mixes calls of two logical conversations (the truth's call plus the follow-up carrying its tool
     * result, plus retried attempts; each proxy hop on its own), and the calls of one conversation that
     * are in turns are all in the same turn.
     */
    @TestFactory
    Stream<DynamicTest> sdkAndEdgeToolLoopsAreNeitherMixedNorSplit() throws IOException {
        return perCapture(truth -> truth.has("logical_conversations"), (capture, truth) -> {
            Run run = run(capture);
            Map<Integer, Long> ids = mapIndexes(truth, run, false);
            Map<Long, Integer> conversationOf = new HashMap<>();
            int n = 0;
            for (JsonNode lc : truth.path("logical_conversations")) {
                for (String field : List.of("calls", "upstream_calls")) {
                    n++;
                    for (JsonNode i : lc.path(field)) {
                        Long id = ids.get(i.asInt());
                        if (id != null) {
                            conversationOf.put(id, n);
                        }
                    }
                }
            }
            // An agent's side call (opencode's title call through the gateway) is its own logical
            // conversation in the truth but belongs to the agent's turn.
            Set<Long> auxiliary = new HashSet<>();
            run.result().calls().stream().filter(c -> c.agent() != null && c.agent().auxiliary())
                    .forEach(c -> auxiliary.add(c.id()));
            Map<Integer, Long> turnOfConversation = new HashMap<>();
            for (AgentTurn turn : run.result().turns()) {
                Set<Integer> convs = new TreeSet<>();
                for (long id : turn.callIds()) {
                    Integer c = auxiliary.contains(id) ? null : conversationOf.get(id);
                    if (c != null) {
                        convs.add(c);
                        Long other = turnOfConversation.put(c, turn.id());
                        assertTrue(other == null || other == turn.id(),
                                () -> capture.getFileName() + ": conversation split over turns " + other + " and " + turn.id());
                    }
                }
                assertTrue(convs.size() <= 1, () -> capture.getFileName() + ": turn " + turn.id() + " mixes " + convs);
            }
        }).stream();
    }

    @TestFactory
    Stream<DynamicTest> heronSynthFixturesMatchGoldenTurnCountsAndTotals() throws IOException {
        Path dir = Corpus.heronSynth();
        List<Path> goldens = Corpus.filesEndingWith(dir, ".heron-golden.json");
        return goldens.stream().map(g -> DynamicTest.dynamicTest(g.getFileName().toString(), () -> {
            String base = g.getFileName().toString().replace(".heron-golden.json", "");
            JsonNode golden = JSON.readTree(g.toFile());
            Run run = run(dir.resolve(base + ".pcap"));
            List<AgentTurn> turns = run.result().turns();
            assertEquals(golden.path("turn_count").asInt(), turns.size(), () -> base + ": " + turns);
            for (int i = 0; i < turns.size(); i++) {
                JsonNode gt = golden.path("turns").get(i);
                AgentTurn t = turns.get(i);
                assertEquals(gt.path("call_count").asInt(), t.callIds().size(), base + " call count");
                assertEquals(gt.path("status").asText(), t.status().name().toLowerCase(java.util.Locale.ROOT), base);
                assertEquals(gt.path("total_input_tokens").asLong(), t.inputTokens(), base + " input tokens");
                assertEquals(gt.path("total_output_tokens").asLong(), t.outputTokens(), base + " output tokens");
                assertEquals(gt.path("total_cache_read_input_tokens").asLong(), t.cacheReadTokens(), base + " cache read");
                assertEquals(gt.path("total_cache_creation_input_tokens").asLong(), t.cacheWriteTokens(),
                        base + " cache write");
                assertEquals(gt.path("models_used").size(), t.models().size(), base + " models");
                assertEquals(ourAgentKind(gt.path("agent_kind").asText()), t.agentKind(), base + " agent kind");
            }
        }));
    }

    /** Heron's agent kind names where ours differ (ours are the profile ids). */
    private static String ourAgentKind(String heronKind) {
        return switch (heronKind) {
            case "claude-cli" -> "claude-code";
            case "codex-cli" -> "codex";
            default -> heronKind;
        };
    }
}
