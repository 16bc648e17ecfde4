package heron.store.query;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import heron.core.model.Endpoint;
import heron.store.query.Topology.Edge;
import heron.store.query.Topology.Node;
import heron.store.query.Topology.Role;

/**
 * Builds a {@link Topology} from the calls of a capture, one {@link CallRoute} at a time (memory
 * grows with the number of distinct client/agent/server groups plus 8 bytes of latency per call,
 * not with whole rows).
 *
 * <p>Rules:
 * <ul>
 * <li>Every server endpoint (ip:port) that received an LLM call is a service node.</li>
 * <li>A call whose client IP is the IP of another service node was made by that service: the
 * service is a proxy (a LiteLLM-style gateway calling upstream). Source ports are ephemeral, so
 * the match is by host only; with several services on that host the call is attributed to the
 * one the decoders called LiteLLM, else to one that received calls from other hosts, else to the
 * busiest, else to the lowest endpoint — never to the call's own target (a service calling a
 * model server on its own host stays a proxy, not a loop). When services on one host end up
 * calling each other both ways (everything on 127.0.0.1), only the likelier proxy keeps its
 * attribution (see {@code beatsInLoop}).</li>
 * <li>Every other call comes from a client node keyed by client IP and agent kind, so two agents
 * on one machine show as two clients.</li>
 * <li>A service node that made calls is a {@link Role#PROXY}, else a {@link Role#SERVER}.</li>
 * </ul>
 * Calls without a server endpoint (not possible for decoded exchanges) are skipped.
 */
public final class TopologyBuilder {
    /** Models listed per service node; the rest are left out of the label. */
    public static final int MAX_MODELS = 16;

    /**
     * One call's place in the graph.
     *
     * @param turnId 0 or null when the call is in no turn
     * @param e2eNanos null when the call has no end-to-end latency (no response)
     */
    public record CallRoute(long callId, String clientIp, Endpoint server, String agentKind, Long turnId,
            boolean error, Long e2eNanos, String serverKind, String model) {
    }

    /** Calls of one (client ip, agent kind, server) group. */
    private static final class Group {
        final String clientIp;
        final String agentKind;
        final Endpoint server;
        long calls;
        long errors;
        final Set<Long> turns = new HashSet<>();
        long[] e2e = new long[8];
        int e2eCount;

        Group(String clientIp, String agentKind, Endpoint server) {
            this.clientIp = clientIp;
            this.agentKind = agentKind;
            this.server = server;
        }

        void add(CallRoute r) {
            calls++;
            if (r.error()) {
                errors++;
            }
            if (r.turnId() != null && r.turnId() != 0) {
                turns.add(r.turnId());
            }
            if (r.e2eNanos() != null) {
                if (e2eCount == e2e.length) {
                    e2e = Arrays.copyOf(e2e, e2e.length * 2);
                }
                e2e[e2eCount++] = r.e2eNanos();
            }
        }
    }

    /** What a service endpoint received. */
    private static final class Service {
        long callsIn;
        final Map<String, Integer> serverKinds = new HashMap<>();
        final Set<String> models = new TreeSet<>();
        final Set<String> clientIps = new HashSet<>();
    }

    private record GroupKey(String clientIp, String agentKind, Endpoint server) {
    }

    private final Map<GroupKey, Group> groups = new LinkedHashMap<>();
    private final Map<Endpoint, Service> services = new TreeMap<>();

    public TopologyBuilder add(CallRoute r) {
        if (r.server() == null || r.clientIp() == null) {
            return this;
        }
        String agent = r.agentKind() == null || r.agentKind().isBlank() ? null : r.agentKind();
        groups.computeIfAbsent(new GroupKey(r.clientIp(), agent, r.server()),
                k -> new Group(k.clientIp(), k.agentKind(), k.server())).add(r);
        Service s = services.computeIfAbsent(r.server(), k -> new Service());
        s.callsIn++;
        s.clientIps.add(r.clientIp());
        if (r.serverKind() != null && !r.serverKind().isBlank()) {
            s.serverKinds.merge(r.serverKind(), 1, Integer::sum);
        }
        if (r.model() != null && s.models.size() < MAX_MODELS) {
            s.models.add(r.model());
        }
        return this;
    }

    public Topology build() {
        Map<String, List<Endpoint>> servicesByHost = new HashMap<>();
        for (Endpoint e : services.keySet()) {
            servicesByHost.computeIfAbsent(e.ip(), k -> new ArrayList<>()).add(e);
        }
        // Merge groups into edges (source node id -> target node id).
        Map<List<String>, List<Group>> edgeGroups = new LinkedHashMap<>();
        Map<String, Node> clients = new TreeMap<>();
        Map<Endpoint, Long> callsOut = new HashMap<>();
        Map<Group, Endpoint> proxyOf = new HashMap<>();
        Set<List<Endpoint>> serviceLinks = new HashSet<>();
        for (Group g : groups.values()) {
            Endpoint proxy = proxyFor(g.clientIp, g.server, servicesByHost.get(g.clientIp));
            if (proxy != null) {
                proxyOf.put(g, proxy);
                serviceLinks.add(List.of(proxy, g.server));
            }
        }
        // Services on one host calling each other both ways (agent, gateway and model server all
        // on 127.0.0.1): only one direction is real; the other is the client's own calls.
        proxyOf.entrySet().removeIf(e -> serviceLinks.contains(List.of(e.getKey().server, e.getValue()))
                && !beatsInLoop(e.getValue(), e.getKey().server));
        for (Group g : groups.values()) {
            Endpoint proxy = proxyOf.get(g);
            String source;
            if (proxy != null) {
                source = serviceId(proxy);
                callsOut.merge(proxy, g.calls, Long::sum);
            } else {
                source = clientId(g.clientIp, g.agentKind);
                Node prev = clients.get(source);
                clients.put(source, new Node(source, Role.CLIENT, g.clientIp, 0, g.agentKind, null, List.of(), 0,
                        (prev == null ? 0 : prev.callsOut()) + g.calls));
            }
            edgeGroups.computeIfAbsent(List.of(source, serviceId(g.server)), k -> new ArrayList<>()).add(g);
        }
        List<Node> nodes = new ArrayList<>(clients.values());
        List<Node> proxies = new ArrayList<>();
        List<Node> servers = new ArrayList<>();
        for (Map.Entry<Endpoint, Service> e : services.entrySet()) {
            Endpoint ep = e.getKey();
            Service s = e.getValue();
            long out = callsOut.getOrDefault(ep, 0L);
            Node n = new Node(serviceId(ep), out > 0 ? Role.PROXY : Role.SERVER, ep.ip(), ep.port(), null,
                    dominant(s.serverKinds), List.copyOf(s.models), s.callsIn, out);
            (out > 0 ? proxies : servers).add(n);
        }
        nodes.addAll(proxies);
        nodes.addAll(servers);
        Map<String, Node> byId = new HashMap<>();
        nodes.forEach(n -> byId.put(n.id(), n));

        List<Edge> edges = new ArrayList<>();
        for (Map.Entry<List<String>, List<Group>> e : edgeGroups.entrySet()) {
            edges.add(edge(byId.get(e.getKey().get(0)), byId.get(e.getKey().get(1)), e.getValue()));
        }
        edges.sort(Comparator.comparingLong(Edge::calls).reversed().thenComparing(Edge::source)
                .thenComparing(Edge::target));
        return new Topology(nodes, edges);
    }

    private Endpoint proxyFor(String clientIp, Endpoint target, List<Endpoint> onHost) {
        if (onHost == null) {
            return null;
        }
        Endpoint best = null;
        for (Endpoint e : onHost) {
            if (e.equals(target)) {
                continue;
            }
            if (best == null || proxyRank(e, clientIp) > proxyRank(best, clientIp)
                    || (proxyRank(e, clientIp) == proxyRank(best, clientIp) && e.compareTo(best) < 0)) {
                best = e;
            }
        }
        return best;
    }

    /** Larger is a likelier proxy: LiteLLM first, then fed from other hosts, then busiest. */
    private long proxyRank(Endpoint e, String host) {
        Service s = services.get(e);
        boolean litellm = s.serverKinds.keySet().stream()
                .anyMatch(k -> k.toLowerCase(Locale.ROOT).contains("litellm"));
        boolean fedFromOutside = s.clientIps.stream().anyMatch(ip -> !ip.equals(host));
        return (litellm ? 1L << 62 : 0) + (fedFromOutside ? 1L << 61 : 0) + Math.min(s.callsIn, (1L << 60) - 1);
    }

    /**
     * In a two-way loop between services {@code a} and {@code b}, whether {@code a} is the proxy:
     * LiteLLM before a service of unknown kind before a recognised model server (which never calls
     * out); then the one receiving fewer calls (a model server also gets direct calls); then the
     * lower endpoint.
     */
    private boolean beatsInLoop(Endpoint a, Endpoint b) {
        int ka = loopKind(a);
        int kb = loopKind(b);
        if (ka != kb) {
            return ka > kb;
        }
        long ca = services.get(a).callsIn;
        long cb = services.get(b).callsIn;
        if (ca != cb) {
            return ca < cb;
        }
        return a.compareTo(b) < 0;
    }

    private int loopKind(Endpoint e) {
        String k = dominant(services.get(e).serverKinds);
        if (k == null) {
            return 1;
        }
        return k.toLowerCase(Locale.ROOT).contains("litellm") ? 2 : 0;
    }

    private static Edge edge(Node source, Node target, List<Group> groups) {
        long calls = 0;
        long errors = 0;
        Set<Long> turns = new HashSet<>();
        int n = 0;
        for (Group g : groups) {
            calls += g.calls;
            errors += g.errors;
            turns.addAll(g.turns);
            n += g.e2eCount;
        }
        long[] all = new long[n];
        int at = 0;
        for (Group g : groups) {
            System.arraycopy(g.e2e, 0, all, at, g.e2eCount);
            at += g.e2eCount;
        }
        Double median = null;
        if (n > 0) {
            Arrays.sort(all);
            // The mean of the two middle values for an even count, as SQL PERCENTILE_CONT(0.5).
            median = (n % 2 == 1 ? all[n / 2] : (all[n / 2 - 1] + all[n / 2]) / 2.0) / 1e6;
        }
        String filter;
        if (source.role() == Role.CLIENT) {
            filter = "client == " + Topology.quote(source.ip()) + " and " + Topology.agentClause(source.agentKind())
                    + " and server == " + Topology.quote(target.label());
        } else {
            filter = "client == " + Topology.quote(source.ip()) + " and server == " + Topology.quote(target.label());
        }
        return new Edge(source.id(), target.id(), calls, turns.size(), errors, median, filter);
    }

    /** The most frequent key; ties go to the alphabetically first, so the result is stable. */
    private static String dominant(Map<String, Integer> counts) {
        String best = null;
        int bestCount = 0;
        for (Map.Entry<String, Integer> e : counts.entrySet()) {
            if (e.getValue() > bestCount || (e.getValue() == bestCount && e.getKey().compareTo(best) < 0)) {
                best = e.getKey();
                bestCount = e.getValue();
            }
        }
        return best;
    }

    static String clientId(String ip, String agentKind) {
        return "client:" + ip + (agentKind == null ? "" : "|" + agentKind);
    }

    static String serviceId(Endpoint e) {
        return "service:" + e;
    }
}
