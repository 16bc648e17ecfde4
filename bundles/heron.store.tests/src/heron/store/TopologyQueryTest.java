package heron.store;

import static heron.store.Fixtures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import heron.core.filter.CallFilter;
import heron.core.model.AgentTag;
import heron.core.model.Capture;
import heron.core.model.Endpoint;
import heron.core.model.HttpExchange;
import heron.core.model.LlmCall;
import heron.store.query.Topology;
import heron.store.query.Topology.Role;
import heron.store.query.TopologyBuilder;
import heron.store.query.TopologyBuilder.CallRoute;
import heron.store.query.TopologyQuery;

class TopologyQueryTest {
    static final Endpoint GATEWAY = new Endpoint("127.0.0.2", 4000);
    static final Endpoint UPSTREAM = new Endpoint("127.0.0.3", 8000);

    @TempDir
    Path dir;

    static CallRoute route(long id, String client, Endpoint server, String agent, Long turn, boolean error,
            Long e2eMs, String serverKind) {
        return new CallRoute(id, client, server, agent, turn, error, e2eMs == null ? null : e2eMs * 1_000_000,
                serverKind, "gpt-4o");
    }

    /** The shape of relay-two-hop: client -> gateway -> upstream, plus one call straight upstream. */
    static Topology relayShape() {
        TopologyBuilder b = new TopologyBuilder();
        for (int i = 0; i < 6; i++) {
            b.add(route(10 + i, "127.0.0.1", GATEWAY, null, i < 3 ? 10L : 13L, false, 100L + i, null));
            b.add(route(100 + i, "127.0.0.2", UPSTREAM, null, null, i == 5, 40L + i, "vLLM"));
        }
        for (int i = 0; i < 4; i++) {
            b.add(route(20 + i, "127.0.0.1", GATEWAY, "opencode", 20L, false, 200L, null));
            b.add(route(200 + i, "127.0.0.2", UPSTREAM, "opencode", 20L, false, 50L, "vLLM"));
        }
        b.add(route(30, "127.0.0.1", UPSTREAM, null, 30L, false, 7L, "vLLM"));
        return b.build();
    }

    @Test
    void gatewayThatReceivesAndMakesCallsIsAProxyBetweenClientsAndServer() {
        Topology t = relayShape();
        assertEquals(List.of("client:127.0.0.1", "client:127.0.0.1|opencode"),
                t.nodes(Role.CLIENT).stream().map(Topology.Node::id).toList());
        assertEquals(List.of("service:127.0.0.2:4000"), t.nodes(Role.PROXY).stream().map(Topology.Node::id).toList());
        assertEquals(List.of("service:127.0.0.3:8000"),
                t.nodes(Role.SERVER).stream().map(Topology.Node::id).toList());
        assertEquals(4, t.edges().size());

        Topology.Edge up = t.edge("service:127.0.0.2:4000", "service:127.0.0.3:8000").orElseThrow();
        assertEquals(10, up.calls());
        assertEquals(1, up.errors());
        assertEquals(0.1, up.errorRate(), 1e-9);
        assertEquals(1, up.turns()); // only the opencode calls upstream were placed in a turn
        // e2e 40..45 and 4 x 50: sorted 40 41 42 43 44 45 50 50 50 50, median (44 + 45) / 2
        assertEquals(44.5, up.medianE2eMs(), 1e-9);
        assertEquals("client == \"127.0.0.2\" and server == \"127.0.0.3:8000\"", up.filter());

        Topology.Edge sdk = t.edge("client:127.0.0.1", "service:127.0.0.2:4000").orElseThrow();
        assertEquals(6, sdk.calls());
        assertEquals(2, sdk.turns());
        assertEquals("client == \"127.0.0.1\" and not agent_kind and server == \"127.0.0.2:4000\"", sdk.filter());
        assertEquals(4, t.edge("client:127.0.0.1|opencode", "service:127.0.0.2:4000").orElseThrow().calls());
        assertEquals(1, t.edge("client:127.0.0.1", "service:127.0.0.3:8000").orElseThrow().calls());

        Topology.Node proxy = t.node("service:127.0.0.2:4000").orElseThrow();
        assertEquals(10, proxy.callsIn());
        assertEquals(10, proxy.callsOut());
        assertNull(proxy.serverKind());
        Topology.Node server = t.node("service:127.0.0.3:8000").orElseThrow();
        assertEquals("vLLM", server.kindLabel());
        assertEquals(11, server.callsIn());
        assertEquals(List.of("gpt-4o"), server.models());
    }

    @Test
    void edgeFiltersSelectExactlyTheEdgesCalls() throws Exception {
        TopologyBuilder b = new TopologyBuilder();
        List<CallRoute> routes = List.of(route(1, "10.0.0.1", GATEWAY, null, null, false, 1L, null),
                route(2, "10.0.0.1", GATEWAY, "codex", null, false, 1L, null),
                route(3, "127.0.0.2", UPSTREAM, "codex", null, false, 1L, null),
                route(4, "10.0.0.1", UPSTREAM, null, null, false, 1L, null));
        routes.forEach(b::add);
        Topology t = b.build();
        Map<Long, CallFilter.Route> byId = new java.util.HashMap<>();
        routes.forEach(r -> byId.put(r.callId(), new CallFilter.Route(r.clientIp(), r.server())));
        for (Topology.Edge e : t.edges()) {
            CallFilter f = CallFilter.parse(e.filter(), c -> byId.get(c.id()));
            long matched = routes.stream().filter(r -> f.test(call(r))).count();
            assertEquals(e.calls(), matched, e.filter());
        }
        CallFilter proxy = CallFilter.parse(t.node("service:127.0.0.2:4000").orElseThrow().filter(),
                c -> byId.get(c.id()));
        assertEquals(3, routes.stream().filter(r -> proxy.test(call(r))).count());
    }

    private static LlmCall call(CallRoute r) {
        LlmCall.Builder b = LlmCall.builder();
        b.id = r.callId();
        b.exchangeId = r.callId();
        b.wireApi = "openai-chat";
        b.agent = r.agentKind() == null ? null : new AgentTag(r.agentKind(), null, 0, false, false, 0);
        return b.build();
    }

    @Test
    void serviceCallingAModelServerOnItsOwnHostIsAProxyNotALoop() {
        Endpoint litellm = new Endpoint("10.0.0.5", 4000);
        Endpoint vllm = new Endpoint("10.0.0.5", 8000);
        TopologyBuilder b = new TopologyBuilder();
        b.add(route(1, "10.0.0.9", litellm, null, null, false, 10L, "LiteLLM"));
        b.add(route(2, "10.0.0.5", vllm, null, null, false, 5L, "vLLM"));
        Topology t = b.build();
        assertEquals(Role.PROXY, t.node("service:10.0.0.5:4000").orElseThrow().role());
        assertEquals(Role.SERVER, t.node("service:10.0.0.5:8000").orElseThrow().role());
        assertTrue(t.edge("service:10.0.0.5:4000", "service:10.0.0.5:8000").isPresent());
        assertEquals(2, t.edges().size());
    }

    @Test
    void everythingOnLoopbackGivesClientGatewayServerNotALoop() {
        Endpoint gateway = new Endpoint("127.0.0.1", 4000);
        Endpoint model = new Endpoint("127.0.0.1", 8000);
        for (String[] kinds : new String[][] { { "LiteLLM", "vLLM" }, { null, null }, { null, "Ollama" } }) {
            TopologyBuilder b = new TopologyBuilder();
            for (int i = 0; i < 5; i++) {
                b.add(route(i, "127.0.0.1", gateway, "codex", 1L, false, 20L, kinds[0]));
                b.add(route(10 + i, "127.0.0.1", model, null, null, false, 10L, kinds[1]));
            }
            b.add(route(20, "127.0.0.1", model, null, null, false, 10L, kinds[1])); // a direct call
            Topology t = b.build();
            String why = java.util.Arrays.toString(kinds);
            assertEquals(Role.PROXY, t.node("service:127.0.0.1:4000").orElseThrow().role(), why);
            assertEquals(Role.SERVER, t.node("service:127.0.0.1:8000").orElseThrow().role(), why);
            assertEquals(5, t.edge("client:127.0.0.1|codex", "service:127.0.0.1:4000").orElseThrow().calls(), why);
            // Host-level attribution: the direct call cannot be told apart from the gateway's.
            assertEquals(6, t.edge("service:127.0.0.1:4000", "service:127.0.0.1:8000").orElseThrow().calls(), why);
            assertEquals(2, t.edges().size(), why);
        }
    }

    @Test
    void clientWithoutServiceOnItsHostIsAClientAndCallsWithoutEndpointAreSkipped() {
        TopologyBuilder b = new TopologyBuilder();
        b.add(route(1, "10.0.0.9", UPSTREAM, "claude-code", 1L, true, null, "Anthropic"));
        b.add(new CallRoute(2, "10.0.0.9", null, null, null, false, null, null, null));
        Topology t = b.build();
        assertEquals(2, t.nodes().size());
        Topology.Edge e = t.edges().get(0);
        assertEquals("client:10.0.0.9|claude-code", e.source());
        assertEquals(1, e.calls());
        assertNull(e.medianE2eMs());
        assertEquals("10.0.0.9", t.node(e.source()).orElseThrow().label());
        assertEquals("claude-code", t.node(e.source()).orElseThrow().kindLabel());
    }

    @Test
    void storeQueryBuildsTheGraphFromExchangeEndpoints() {
        long captureId;
        try (HeronStore store = HeronStore.open(dir)) {
            try (StoreWriter w = store.writer()) {
                captureId = w.beginCapture(Fixtures.capture("/relay", "rr"));
                long id = 64;
                for (int i = 0; i < 3; i++, id += 64) {
                    write(w, id, new Endpoint("127.0.0.1", 50000 + i), GATEWAY, T0 + id, 30);
                    id += 64;
                    write(w, id, new Endpoint("127.0.0.2", 40000 + i), UPSTREAM, T0 + id, 10);
                }
                w.finish(Capture.ImportStatus.COMPLETE);
            }
            TopologyQuery q = new TopologyQuery(store);
            Topology t = q.topology(captureId);
            assertEquals(3, t.nodes().size());
            Topology.Edge in = t.edge("client:127.0.0.1|claude-code", "service:127.0.0.2:4000").orElseThrow();
            assertEquals(3, in.calls());
            assertEquals(3, in.turns());
            assertEquals(30.0, in.medianE2eMs(), 1e-9);
            Topology.Edge up = t.edge("service:127.0.0.2:4000", "service:127.0.0.3:8000").orElseThrow();
            assertEquals(3, up.calls());
            assertEquals("Anthropic", t.node("service:127.0.0.3:8000").orElseThrow().serverKind());

            Map<Long, CallFilter.Route> routes = q.routes(captureId);
            assertEquals(6, routes.size());
            assertEquals(new CallFilter.Route("127.0.0.1", GATEWAY), routes.get(64L));
            assertEquals(Topology.EMPTY, q.topology(captureId + 1));
        }
    }

    private static void write(StoreWriter w, long id, Endpoint client, Endpoint server, long t, long e2eMs) {
        HttpExchange x = Fixtures.exchange(id, id, false);
        w.exchange(new HttpExchange(x.id(), x.connectionId(), x.sequence(), client, server, x.request(), x.response(),
                x.label()));
        w.call(Fixtures.call(id, "m", 200, t, e2eMs * 1_000_000));
    }
}
