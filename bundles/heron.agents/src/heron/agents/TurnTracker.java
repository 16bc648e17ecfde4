package heron.agents;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import heron.core.agents.AgentCallInfo;
import heron.core.agents.AgentProfile;
import heron.core.agents.AgentProfileRegistry;
import heron.core.agents.CallRole;
import heron.core.health.PipelineHealth;
import heron.core.model.AgentSession;
import heron.core.model.AgentTag;
import heron.core.model.AgentTurn;
import heron.core.model.HttpExchange;
import heron.core.model.LlmCall;
import heron.core.model.Message;
import heron.core.model.ToolCall;
import heron.core.model.ToolLink;
import heron.core.registry.Contribution;

/**
 * Groups LLM calls into agent turns (one user prompt to the agent's final answer, with every tool
 * round-trip, sub-agent call and side call in between) and sessions (all turns of one conversation).
 * <p>
 * Calls may be {@link #add added} from any thread in any order; {@link #finish()} sorts them by event
 * time (request time, ties by call id) and groups them, so the same set of calls always gives the same
 * turns and ids, whatever the arrival order or worker count. Rules:
 * <ul>
 * <li>The first {@link AgentProfile} (priority order) that recognises a call owns it; its
 * {@link AgentCallInfo} gives the session key and the {@link CallRole}. Session id = agent kind + ":" +
 * session key. Calls no profile recognises stay plain calls.</li>
 * <li>A main-agent {@code USER_TURN_START} opens a turn; {@code CONTINUATION}s join it; the profile's
 * terminal call closes it as complete. A failed call (HTTP error, stream error, no response) never closes a
 * turn, and a user-turn start that repeats the failed call's prompt is its retry and stays in the turn.</li>
 * <li>A turn still open at the end of the capture, interrupted by a new prompt, or idle for longer than
 * {@link TurnOptions#idleTimeout()} is incomplete; so is a turn whose start was not captured (it begins
 * with a continuation).</li>
 * <li>Sub-agent calls join the turn that is open when the sub-agent first calls, and point at the parent
 * agent's call that started them. Auxiliary calls join the turn that spans them, else the nearer of the
 * previous and next turn of their session; they never open or close a turn.</li>
 * <li>Turn id = id of its first call; calls that cannot be placed in a turn are counted in
 * {@link PipelineHealth#TURNS_UNPLACED_CALLS}.</li>
 * </ul>
 */
public final class TurnTracker {

    /** Tools through which agents start sub-agents; the asking call becomes the sub-agent's parent. */
    private static final Set<String> SPAWN_TOOLS = Set.of("Agent", "Task", "task", "agent", "spawn_agent",
            "delegate_task", "sessions_spawn", "subagent", "dispatch_agent", "multi_agent_v1");
    private static final Pattern SUBAGENT_TYPE = Pattern
            .compile("\"(?:subagent_type|agent_type|subagent)\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");
    private static final String MAIN = "\u0000main";

    private final AgentProfileRegistry profiles;
    private final PipelineHealth health;
    private final long idleNanos;
    private final ConcurrentLinkedQueue<Item> entries = new ConcurrentLinkedQueue<>();
    /** Calls left out of turns by the current {@link #finish()}, and by the previous one (already counted). */
    private long unplaced;
    private long unplacedReported;

    public TurnTracker(AgentProfileRegistry profiles, PipelineHealth health) {
        this(profiles, health, TurnOptions.defaults());
    }

    public TurnTracker(AgentProfileRegistry profiles, PipelineHealth health, TurnOptions options) {
        this.profiles = Objects.requireNonNull(profiles, "profiles");
        this.health = Objects.requireNonNull(health, "health");
        this.idleNanos = options.idleTimeout().toNanos();
    }

    /**
     * Adds a decoded call and its exchange (may be null). Thread-safe; any order. The profiles are asked
     * here, on the caller's thread, so the exchange (and its bodies) is not kept until {@link #finish()}.
     */
    public void add(LlmCall call, HttpExchange exchange) {
        Item it = new Item(Objects.requireNonNull(call, "call"));
        if (classify(it, exchange)) {
            it.lastUserText = Conversations.lastUserText(call);
            String first = Conversations.firstUserText(call);
            it.opening = Conversations.fnv(Conversations.FNV_BASIS, first);
            String visible = Conversations.stripScaffolding(first);
            if (!visible.isEmpty()) {
                it.hasVisibleOpening = true;
                it.visibleOpening = Conversations.fnv(Conversations.FNV_BASIS, visible);
            }
        }
        entries.add(it);
    }

    /** One call with what the profiles and the grouping found out about it. */
    private static final class Item {
        final LlmCall call;
        String kind;
        AgentProfile profile;
        AgentCallInfo info;
        String profileSessionId;
        String sessionId;
        String lastUserText;
        /** FNV-1a 64 of the opening user text (see {@link Conversations#hash}). */
        long opening;
        /** Hash of the visible opening user text, to recognise a sub-agent by its spawn prompt. */
        long visibleOpening;
        boolean hasVisibleOpening;
        String profileAgentKey = MAIN;
        String agentKey = MAIN;
        CallRole spawnedRole;
        Item spawnedBy;
        Turn turn;
        long parentCallId;
        String subagentName;

        Item(LlmCall call) {
            this.call = call;
        }

        /** Forgets what a previous {@link TurnTracker#finish()} decided. */
        void reset() {
            sessionId = profileSessionId;
            agentKey = profileAgentKey;
            spawnedRole = null;
            spawnedBy = null;
            turn = null;
            parentCallId = 0;
            subagentName = kind == null || info.role() != CallRole.SUBAGENT ? null
                    : info.subagentName() != null ? info.subagentName() : agentKey;
        }

        CallRole role() {
            return spawnedRole != null ? spawnedRole : info.role();
        }

        boolean isMain() {
            return role() == CallRole.USER_TURN_START || role() == CallRole.CONTINUATION;
        }

        long t() {
            return call.requestNanos();
        }

        long lastNanos() {
            return Math.max(call.requestNanos(), call.endNanos());
        }
    }

    /** One session's calls in event order, and its turns once grouped. */
    private static final class SessionItems {
        final String id;
        final List<Item> items = new ArrayList<>(2);
        List<Turn> turns;

        SessionItems(String id) {
            this.id = id;
        }
    }

    private static final class Turn {
        final List<Item> items = new ArrayList<>();
        AgentTurn built;
        final boolean startedByUser;
        Item lastMain;
        Item terminal;
        long start = Long.MAX_VALUE;
        long lastActivity = Long.MIN_VALUE;

        Turn(boolean startedByUser) {
            this.startedByUser = startedByUser;
        }

        void add(Item it) {
            items.add(it);
            it.turn = this;
            start = Math.min(start, it.t());
            lastActivity = Math.max(lastActivity, it.lastNanos());
            if (it.isMain()) {
                lastMain = it;
            }
        }
    }

    private static final Comparator<Item> EVENT_ORDER = Comparator.comparingLong(Item::t)
            .thenComparingLong(i -> i.call.id()).thenComparingLong(i -> i.call.exchangeId());

    /**
     * Groups every call added so far. Deterministic: the same set of calls gives the same result
     * regardless of the order they were added in. May be called again after more calls were added;
     * {@link PipelineHealth#TURNS_UNPLACED_CALLS} then grows only by the newly unplaced calls.
     */
    public synchronized TurnResult finish() {
        unplaced = 0;
        List<Item> items = new ArrayList<>(entries);
        items.sort(EVENT_ORDER);

        List<Item> agentItems = new ArrayList<>();
        for (Item it : items) {
            if (it.kind != null) {
                it.reset();
                agentItems.add(it);
            }
        }
        joinFailedAttemptsToTheirRetries(agentItems);
        recogniseSpawnedSubagents(agentItems);
        Map<String, SessionItems> bySession = new LinkedHashMap<>(Math.max(16, agentItems.size() * 2));
        for (Item it : agentItems) {
            SessionItems si = bySession.get(it.sessionId);
            if (si == null) {
                si = new SessionItems(it.sessionId);
                bySession.put(it.sessionId, si);
            }
            si.items.add(it);
        }

        List<Turn> allTurns = new ArrayList<>();
        List<ToolLink> links = new ArrayList<>();
        // Only errors matter to the turns; most links have none, so the map stays small.
        Map<Long, Integer> toolErrorsByAsker = new HashMap<>();
        for (SessionItems si : bySession.values()) {
            si.turns = groupSession(si.items);
            allTurns.addAll(si.turns);
            for (ToolLink l : linkTools(si.items)) {
                links.add(l);
                if (l.isError()) {
                    toolErrorsByAsker.merge(l.askedByCallId(), 1, Integer::sum);
                }
            }
        }

        // Turn ids first: a call's tag needs its turn's id.
        List<AgentTurn> turnList = new ArrayList<>(allTurns.size());
        for (Turn t : allTurns) {
            t.items.sort(EVENT_ORDER);
            t.built = buildTurn(t, toolErrorsByAsker);
            turnList.add(t.built);
        }

        List<LlmCall> calls = new ArrayList<>(items.size());
        for (Item it : items) {
            if (it.kind == null) {
                calls.add(it.call);
                continue;
            }
            long turnId = it.turn == null ? 0 : it.turn.built.id();
            calls.add(it.call.withAgent(new AgentTag(it.kind, it.sessionId, turnId,
                    it.role() == CallRole.AUXILIARY, it.role() == CallRole.SUBAGENT, it.parentCallId)));
        }

        turnList.sort(Comparator.comparingLong(AgentTurn::startNanos).thenComparingLong(AgentTurn::id));

        List<AgentSession> sessions = new ArrayList<>(bySession.size());
        for (SessionItems si : bySession.values()) {
            sessions.add(buildSession(si.id, si.items, si.turns));
        }
        sessions.sort(Comparator.comparingLong(AgentSession::startNanos).thenComparing(AgentSession::id));
        health.add(PipelineHealth.TURNS_UNPLACED_CALLS, unplaced - unplacedReported);
        unplacedReported = unplaced;
        return new TurnResult(calls, turnList, sessions, links);
    }

    /** Asks the profiles about one call; false when no profile owns it. */
    private boolean classify(Item it, HttpExchange exchange) {
        Contribution<AgentProfile> c = profiles.match(it.call, exchange, health);
        if (c == null) {
            return false;
        }
        AgentCallInfo info;
        try {
            info = c.get().classify(it.call, exchange);
        } catch (RuntimeException e) {
            health.inc(PipelineHealth.CONTRIBUTION_ERRORS);
            return false;
        }
        if (info == null || info.role() == null || info.sessionKey() == null) {
            health.inc(PipelineHealth.CONTRIBUTION_ERRORS);
            return false;
        }
        it.kind = c.id();
        it.profile = c.get();
        it.info = info;
        it.profileSessionId = c.id() + ":" + info.sessionKey();
        if (info.role() == CallRole.SUBAGENT) {
            it.profileAgentKey = info.agentId() != null ? info.agentId()
                    : info.subagentName() != null ? info.subagentName() : "subagent";
            it.agentKey = it.profileAgentKey;
            it.subagentName = info.subagentName() != null ? info.subagentName() : it.agentKey;
        }
        return true;
    }

    /**
     * A session key synthesised from the conversation needs the model's answer, which a failed attempt
     * never got, so a failed first call and its retry get different keys. A session made of failed calls
     * only is therefore moved into the session of the first later call of the same agent kind and server
     * that repeats the same conversation (same opening, same newest user text) within the idle timeout.
     */
    private void joinFailedAttemptsToTheirRetries(List<Item> items) {
        if (items.stream().noneMatch(it -> failed(it.call))) {
            return; // only failed calls move
        }
        Map<String, Boolean> sessionHasAnswer = new HashMap<>();
        for (Item it : items) {
            sessionHasAnswer.merge(it.sessionId, !failed(it.call), Boolean::logicalOr);
        }
        for (int i = 0; i < items.size(); i++) {
            Item f = items.get(i);
            if (sessionHasAnswer.get(f.sessionId) || !failed(f.call)) {
                continue;
            }
            long opening = f.opening;
            String last = f.lastUserText;
            for (int j = i + 1; j < items.size(); j++) {
                Item r = items.get(j);
                if (r.t() - f.t() > idleNanos) {
                    break; // items are in event order: no retry this late
                }
                if (!failed(r.call) && r.kind.equals(f.kind) && Objects.equals(r.call.host(), f.call.host())
                        && !r.sessionId.equals(f.sessionId)
                        && opening == r.opening && Objects.equals(last, r.lastUserText)) {
                    String from = f.sessionId;
                    for (Item m : items) {
                        if (m.sessionId.equals(from)) {
                            m.sessionId = r.sessionId;
                        }
                    }
                    break;
                }
            }
        }
    }

    private static final Pattern PROMPT_ARGUMENT = Pattern
            .compile("\"(?:prompt|task)\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");

    /**
     * Sub-agents the profile could not tell apart (Claude Code without {@code x-claude-code-agent-id},
     * opencode's {@code task} tool, which opens a child session, generic agents): a conversation whose
     * visible opening is exactly the {@code prompt} of an earlier spawn-tool call (Agent, Task, task ...)
     * of the same agent kind, within the idle timeout, is that spawn's sub-agent. Its calls move into the
     * spawning call's session and turn.
     */
    private void recogniseSpawnedSubagents(List<Item> items) {
        Map<SpawnKey, Item> spawnByPrompt = new HashMap<>();
        for (Item it : items) {
            if (it.isMain() && it.hasVisibleOpening && !spawnByPrompt.isEmpty()) {
                Item parent = spawnByPrompt.get(new SpawnKey(it.kind, it.visibleOpening));
                if (parent != null && parent != it
                        && !(parent.hasVisibleOpening && it.visibleOpening == parent.visibleOpening)
                        && it.t() > parent.t() && it.t() - parent.t() <= idleNanos) {
                    it.spawnedRole = CallRole.SUBAGENT;
                    it.spawnedBy = parent;
                    it.sessionId = parent.sessionId;
                    it.agentKey = "spawn:" + parent.call.id() + ":" + Conversations.hex(it.visibleOpening);
                    String type = spawnedType(parent);
                    it.subagentName = type != null ? type : "subagent";
                }
            }
            for (ToolCall tc : it.call.toolCalls()) {
                if (SPAWN_TOOLS.contains(tc.name()) && tc.argumentsJson() != null) {
                    Matcher m = PROMPT_ARGUMENT.matcher(tc.argumentsJson());
                    if (m.find()) {
                        String prompt = Conversations.stripScaffolding(unescapeJson(m.group(1)));
                        if (!prompt.isEmpty()) {
                            spawnByPrompt.putIfAbsent(
                                    new SpawnKey(it.kind, Conversations.fnv(Conversations.FNV_BASIS, prompt)), it);
                        }
                    }
                }
            }
        }
    }

    private record SpawnKey(String kind, long prompt) {
    }

    /** The text of a JSON string body (escapes resolved); white space escapes become spaces. */
    static String unescapeJson(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\' || i + 1 >= s.length()) {
                sb.append(c);
                continue;
            }
            char n = s.charAt(++i);
            switch (n) {
            case 'n', 't', 'r', 'b', 'f' -> sb.append(' ');
            case 'u' -> {
                if (i + 4 < s.length()) {
                    try {
                        sb.append((char) Integer.parseInt(s.substring(i + 1, i + 5), 16));
                        i += 4;
                    } catch (NumberFormatException e) {
                        sb.append('u');
                    }
                } else {
                    sb.append('u');
                }
            }
            default -> sb.append(n);
            }
        }
        return sb.toString();
    }

    /** Splits one session's calls (in event order) into turns. */
    private List<Turn> groupSession(List<Item> items) {
        List<Turn> turns = new ArrayList<>();
        List<Item> aux = new ArrayList<>();
        Map<String, Turn> subagentTurn = new HashMap<>();
        Map<String, Item> subagentParent = new HashMap<>();
        Turn open = null;
        for (Item it : items) {
            switch (it.role()) {
            case AUXILIARY -> aux.add(it);
            case SUBAGENT -> {
                Turn t = subagentTurn.get(it.agentKey);
                if (t == null && it.spawnedBy != null && it.spawnedBy.turn != null) {
                    t = it.spawnedBy.turn;
                    subagentTurn.put(it.agentKey, t);
                    subagentParent.put(it.agentKey, it.spawnedBy);
                }
                if (t == null) {
                    t = open;
                    if (t == null && !turns.isEmpty()) {
                        Turn last = turns.get(turns.size() - 1);
                        // A sub-agent still running after its parent turn ended (background agent).
                        t = it.t() - last.lastActivity <= idleNanos ? last : null;
                    }
                    if (t == null) {
                        unplaced++;
                        continue;
                    }
                    subagentTurn.put(it.agentKey, t);
                    Item parent = findParent(t, it);
                    if (parent != null) {
                        subagentParent.put(it.agentKey, parent);
                    }
                }
                Item parent = subagentParent.get(it.agentKey);
                if (parent != null) {
                    it.parentCallId = parent.call.id();
                    String type = spawnedType(parent);
                    if (type != null) {
                        it.subagentName = type;
                    }
                }
                t.add(it);
            }
            default -> {
                if (open != null && it.t() - open.lastActivity > idleNanos) {
                    open = null; // idle: the turn stays incomplete (no terminal call)
                }
                if (it.role() == CallRole.USER_TURN_START) {
                    if (open != null && !isRetryOf(it, open.lastMain)) {
                        open = null; // a new prompt interrupted the turn: it stays incomplete
                    }
                    if (open == null) {
                        open = new Turn(true);
                        turns.add(open);
                    }
                } else if (open == null) {
                    // The turn's start was not captured (or not recognised): keep its calls together.
                    open = new Turn(false);
                    turns.add(open);
                }
                open.add(it);
                if (!failed(it.call) && isTerminal(it)) {
                    open.terminal = it;
                    open = null;
                }
            }
            }
        }
        attachAuxiliary(aux, turns);
        return turns;
    }

    private boolean isTerminal(Item it) {
        try {
            return it.profile.isTerminal(it.call);
        } catch (RuntimeException e) {
            health.inc(PipelineHealth.CONTRIBUTION_ERRORS);
            return false;
        }
    }

    /** A call that got no usable answer: a retry or a new attempt may follow. */
    private static boolean failed(LlmCall c) {
        return c.isError() || c.status() == 0;
    }

    /** A user-turn start after a failed call that asks the same thing again is a retry. */
    private static boolean isRetryOf(Item it, Item lastMain) {
        if (lastMain == null || !failed(lastMain.call)) {
            return false;
        }
        return Objects.equals(it.lastUserText, lastMain.lastUserText);
    }

    /**
     * The parent agent's call whose response started this sub-agent: the latest earlier call of the
     * parent agent in the turn that asked for a spawn tool, else the latest earlier one with any tool call,
     * else the latest earlier one.
     */
    private static Item findParent(Turn t, Item sub) {
        String parentKey = sub.info.parentAgentId() == null ? MAIN : sub.info.parentAgentId();
        Item spawn = null;
        Item anyTool = null;
        Item any = null;
        for (Item c : t.items) {
            if (c.t() > sub.t() || c == sub || !parentKey.equals(c.agentKey)
                    || c.role() == CallRole.AUXILIARY) {
                continue;
            }
            any = later(any, c);
            if (!c.call.toolCalls().isEmpty()) {
                anyTool = later(anyTool, c);
            }
            for (ToolCall tc : c.call.toolCalls()) {
                if (SPAWN_TOOLS.contains(tc.name())) {
                    spawn = later(spawn, c);
                }
            }
        }
        return spawn != null ? spawn : anyTool != null ? anyTool : any;
    }

    private static Item later(Item a, Item b) {
        return a == null || EVENT_ORDER.compare(b, a) > 0 ? b : a;
    }

    /** The sub-agent type named in the parent's spawn tool call ("subagent_type": "general-purpose"), or null. */
    private static String spawnedType(Item parent) {
        for (ToolCall tc : parent.call.toolCalls()) {
            if (SPAWN_TOOLS.contains(tc.name()) && tc.argumentsJson() != null) {
                Matcher m = SUBAGENT_TYPE.matcher(tc.argumentsJson());
                if (m.find()) {
                    return m.group(1);
                }
            }
        }
        return null;
    }

    /**
     * Auxiliary calls join the turn whose span holds them, else the nearer of the previous and the
     * next turn (a title or router call is made just before its turn's first call; a summary just after
     * its last), within the idle timeout.
     */
    private void attachAuxiliary(List<Item> aux, List<Turn> turns) {
        if (aux.isEmpty()) {
            return;
        }
        // Spans before any auxiliary call is added, so the attachment does not depend on aux order.
        int n = turns.size();
        long[] starts = new long[n];
        long[] ends = new long[n];
        for (int i = 0; i < n; i++) {
            starts[i] = turns.get(i).start;
            ends[i] = turns.get(i).lastActivity;
        }
        for (Item it : aux) {
            long t = it.t();
            Turn best = null;
            for (int i = n - 1; i >= 0; i--) {
                if (starts[i] <= t && t <= ends[i]) {
                    best = turns.get(i);
                    break;
                }
            }
            if (best == null) {
                int prev = -1;
                int next = -1;
                for (int i = 0; i < n; i++) {
                    if (ends[i] < t && (prev < 0 || ends[i] >= ends[prev])) {
                        prev = i;
                    }
                    if (starts[i] > t && (next < 0 || starts[i] < starts[next])) {
                        next = i;
                    }
                }
                long dPrev = prev < 0 ? Long.MAX_VALUE : t - ends[prev];
                long dNext = next < 0 ? Long.MAX_VALUE : starts[next] - t;
                int pick = dNext <= dPrev ? next : prev;
                if (pick >= 0 && Math.min(dPrev, dNext) <= idleNanos) {
                    best = turns.get(pick);
                }
            }
            if (best == null) {
                unplaced++;
            } else {
                best.add(it);
            }
        }
    }

    /** A pending tool call: asked by a call's response, waiting for the request that carries its result. */
    private static final class Pending {
        final Item asker;
        final ToolCall toolCall;
        Item resultCall;
        boolean isError;

        Pending(Item asker, ToolCall toolCall) {
            this.asker = asker;
            this.toolCall = toolCall;
        }
    }

    /**
     * Chains each tool call to the first later call of the same session whose request carries its result.
     * Only the results the client added since the model last spoke are used, because agents resend the
     * whole history and old results would otherwise match again.
     */
    private static List<ToolLink> linkTools(List<Item> items) {
        Map<String, Deque<Pending>> byId = new HashMap<>();
        Map<String, Deque<Pending>> withoutId = new HashMap<>();
        List<Pending> all = new ArrayList<>();
        for (Item it : items) {
            for (ResultRef r : newResults(it.call)) {
                Pending p = null;
                String id = Conversations.canonicalToolId(r.toolCallId);
                if (id != null) {
                    p = firstOpen(byId.get(id), it);
                }
                if (p == null) {
                    p = firstOpen(withoutId.get(it.agentKey), it);
                }
                if (p != null) {
                    p.resultCall = it;
                    p.isError = r.isError;
                }
            }
            for (ToolCall tc : it.call.toolCalls()) {
                Pending p = new Pending(it, tc);
                all.add(p);
                String id = Conversations.canonicalToolId(tc.id());
                if (id == null || id.isEmpty()) {
                    withoutId.computeIfAbsent(it.agentKey, k -> new ArrayDeque<>()).add(p);
                } else {
                    byId.computeIfAbsent(id, k -> new ArrayDeque<>()).add(p);
                }
            }
        }
        List<ToolLink> out = new ArrayList<>(all.size());
        for (Pending p : all) {
            LlmCall asker = p.asker.call;
            long duration = 0;
            long resultId = 0;
            if (p.resultCall != null) {
                resultId = p.resultCall.call.id();
                long askedEnd = asker.endNanos() > 0 ? asker.endNanos() : asker.requestNanos();
                duration = Math.max(0, p.resultCall.call.requestNanos() - askedEnd);
            }
            out.add(new ToolLink(p.toolCall.id(), p.toolCall.name(), asker.id(), resultId, duration, p.isError));
        }
        return out;
    }

    private static Pending firstOpen(Deque<Pending> q, Item resultCall) {
        if (q == null) {
            return null;
        }
        for (Pending p : q) {
            if (p.resultCall == null && EVENT_ORDER.compare(p.asker, resultCall) < 0) {
                return p;
            }
        }
        return null;
    }

    private record ResultRef(String toolCallId, boolean isError) {
    }

    /** Tool results new in this request: the tool messages after the last assistant message. */
    private static List<ResultRef> newResults(LlmCall call) {
        List<ResultRef> out = new ArrayList<>();
        if (call.messages().isEmpty()) {
            call.toolResults().forEach(r -> out.add(new ResultRef(r.toolCallId(), r.isError())));
            return out;
        }
        for (Message m : Conversations.tail(call)) {
            if ("tool".equals(m.role()) || m.toolCallId() != null) {
                out.add(new ResultRef(m.toolCallId(), m.isError()));
            }
        }
        return out;
    }

    private static AgentTurn buildTurn(Turn t, Map<Long, Integer> toolErrorsByAsker) {
        Item first = t.items.get(0);
        long in = 0, out = 0, cr = 0, cw = 0, end = Long.MIN_VALUE;
        int toolCalls = 0, toolErrors = 0;
        Set<String> models = new LinkedHashSet<>();
        Set<String> subagents = new LinkedHashSet<>();
        String userPreview = null;
        for (Item it : t.items) {
            LlmCall c = it.call;
            in += c.usage().inputOrZero();
            out += c.usage().outputOrZero();
            cr += c.usage().cacheReadOrZero();
            cw += c.usage().cacheWriteOrZero();
            end = Math.max(end, it.lastNanos());
            toolCalls += c.toolCalls().size();
            if (!toolErrorsByAsker.isEmpty()) {
                toolErrors += toolErrorsByAsker.getOrDefault(c.id(), 0);
            }
            if (c.model() != null) {
                models.add(c.model());
            }
            if (it.role() == CallRole.SUBAGENT && it.subagentName != null) {
                subagents.add(it.subagentName);
            }
            if (userPreview == null && it.role() == CallRole.USER_TURN_START) {
                userPreview = Conversations.preview(it.lastUserText);
            }
        }
        boolean complete = t.terminal != null && t.startedByUser;
        String finalPreview = t.terminal == null ? null : Conversations.preview(t.terminal.call.outputText());
        List<Long> ids = t.items.stream().map(i -> i.call.id()).toList();
        return new AgentTurn(first.call.id(), first.sessionId, first.kind,
                complete ? AgentTurn.Status.COMPLETE : AgentTurn.Status.INCOMPLETE, t.start, end, ids, in, out, cr,
                cw, toolCalls, toolErrors, List.copyOf(models), List.copyOf(subagents), userPreview, finalPreview);
    }

    private static AgentSession buildSession(String id, List<Item> items, List<Turn> turns) {
        long start = Long.MAX_VALUE, end = Long.MIN_VALUE, in = 0, out = 0, cr = 0, cw = 0;
        for (Item it : items) {
            start = Math.min(start, it.t());
            end = Math.max(end, it.lastNanos());
            in += it.call.usage().inputOrZero();
            out += it.call.usage().outputOrZero();
            cr += it.call.usage().cacheReadOrZero();
            cw += it.call.usage().cacheWriteOrZero();
        }
        List<AgentTurn> ts = new ArrayList<>();
        Set<Turn> seen = new HashSet<>();
        for (Turn t : turns) {
            if (seen.add(t)) {
                ts.add(t.built);
            }
        }
        ts.sort(Comparator.comparingLong(AgentTurn::startNanos).thenComparingLong(AgentTurn::id));
        return new AgentSession(id, items.get(0).kind, ts.stream().map(AgentTurn::id).toList(), start, end, in, out,
                cr, cw);
    }
}
