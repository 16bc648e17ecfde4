package heron.store.query;

import java.util.List;
import java.util.Optional;

import heron.core.model.Endpoint;

/**
 * The service graph of one capture: who called which LLM endpoint, through which proxies.
 * Computed by {@link TopologyQuery} (rules in {@link TopologyBuilder}); the Topology view only lays
 * it out and draws it.
 *
 * @param nodes clients first, then proxies, then servers; each group by id
 * @param edges busiest first (calls, then source and target id)
 */
public record Topology(List<Node> nodes, List<Edge> edges) {
    public static final Topology EMPTY = new Topology(List.of(), List.of());

    public Topology {
        nodes = List.copyOf(nodes);
        edges = List.copyOf(edges);
    }

    /** What part a node plays in the flow, left to right. */
    public enum Role {
        /** Makes LLM calls and receives none: an application or agent, by IP and agent kind. */
        CLIENT,
        /** Receives LLM calls and makes its own (a gateway such as LiteLLM). */
        PROXY,
        /** Receives LLM calls and makes none that the capture shows: the model server. */
        SERVER
    }

    /**
     * One node.
     *
     * @param id         stable within the capture: {@code client:<ip>[|<agent kind>]} or
     *                   {@code service:<ip:port>}
     * @param port       the service port; 0 for a client
     * @param agentKind  for a client: the agent kind of its calls, null when unknown
     * @param serverKind for a proxy or server: the server kind the decoders recognised most often
     *                   (vLLM, SGLang, Ollama, LiteLLM, OpenAI ...), null when none did
     * @param models     for a proxy or server: the models of the calls it answered (sorted, at most
     *                   {@link TopologyBuilder#MAX_MODELS})
     * @param callsIn    calls this node received
     * @param callsOut   calls this node made (attributed calls, for a proxy)
     */
    public record Node(String id, Role role, String ip, int port, String agentKind, String serverKind,
            List<String> models, long callsIn, long callsOut) {
        public Node {
            models = List.copyOf(models);
        }

        public boolean isService() {
            return role != Role.CLIENT;
        }

        /** The service endpoint, null for a client. */
        public Endpoint endpoint() {
            return isService() ? new Endpoint(ip, port) : null;
        }

        /** The main label: the endpoint of a service, the IP of a client. */
        public String label() {
            return isService() ? endpoint().toString() : ip;
        }

        /** The second label line: server kind of a service, agent kind of a client; may be empty. */
        public String kindLabel() {
            String k = isService() ? serverKind : agentKind;
            return k == null ? "" : k;
        }

        /**
         * A Calls-view filter (language of {@code heron.core.filter.CallFilter}) selecting this
         * node's calls: those a client made, those a service received or (a proxy) made.
         */
        public String filter() {
            return switch (role) {
                case CLIENT -> "client == " + quote(ip) + " and " + agentClause(agentKind);
                case PROXY -> "server == " + quote(label()) + " or client == " + quote(ip);
                case SERVER -> "server == " + quote(label());
            };
        }
    }

    /**
     * Calls from one node to another.
     *
     * @param turns       distinct agent turns among the calls (calls outside a turn add none)
     * @param medianE2eMs median end-to-end latency of the calls that have one, null if none
     * @param filter      Calls-view filter selecting exactly these calls
     */
    public record Edge(String source, String target, long calls, long turns, long errors, Double medianE2eMs,
            String filter) {
        /** Errors per call, 0..1. */
        public double errorRate() {
            return calls == 0 ? 0 : (double) errors / calls;
        }
    }

    public Optional<Node> node(String id) {
        return nodes.stream().filter(n -> n.id().equals(id)).findFirst();
    }

    public Optional<Edge> edge(String source, String target) {
        return edges.stream().filter(e -> e.source().equals(source) && e.target().equals(target)).findFirst();
    }

    public List<Node> nodes(Role role) {
        return nodes.stream().filter(n -> n.role() == role).toList();
    }

    static String quote(String s) {
        return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    /** "no agent kind" is {@code not agent_kind}: a bare field tests presence. */
    static String agentClause(String agentKind) {
        return agentKind == null ? "not agent_kind" : "agent_kind == " + quote(agentKind);
    }
}
