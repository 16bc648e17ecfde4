package heron.agents;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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
import heron.core.model.TokenUsage;
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
     * here, on the caller's thread, and everything the grouping needs later is taken from the call into a
     * small record, so neither the call nor the exchange is kept: the caller may drop them.
     */
    public void add(LlmCall call, HttpExchange exchange) {
        Item it = new Item(Objects.requireNonNull(call, "call"), host(call.host()));
        Contribution<AgentProfile> c = classify(it, call, exchange);
        if (c != null) {
            it.model = canonical(call.model());
            List<Message> tail = Conversations.tail(call);
            String last = Conversations.lastUserText(tail);
            if (last != null) {
                it.hasLastUserText = true;
                it.lastUserText = charHash(last);
                if (it.profileRole == CallRole.USER_TURN_START) {
                    it.userPreview = Conversations.preview(Conversations.afterInterrupt(last));
                }
            }
            String first = Conversations.firstUserText(call);
            it.opening = Conversations.fnv(Conversations.FNV_BASIS, first);
            String visible = Conversations.stripScaffolding(first);
            if (!visible.isEmpty()) {
                it.hasVisibleOpening = true;
                it.visibleOpening = Conversations.fnv(Conversations.FNV_BASIS, visible);
            }
            TokenUsage u = call.usage();
            it.input = u.inputOrZero();
            it.output = u.outputOrZero();
            it.cacheRead = u.cacheReadOrZero();
            it.cacheWrite = u.cacheWriteOrZero();
            toolFacts(it, call);
            responseChain(it, call, exchange);
            it.results = newResults(call, tail);
            it.terminal = terminal(c.get(), call);
            // Only a main-agent call that did not fail can end a turn; its answer is the turn's final preview.
            if (it.terminal == YES && !it.failed
                    && (it.profileRole == CallRole.USER_TURN_START || it.profileRole == CallRole.CONTINUATION)) {
                it.finalPreview = Conversations.preview(call.outputText());
            }
        }
        entries.add(it);
    }

    private static final byte[] PREVIOUS_RESPONSE_ID = "\"previous_response_id\""
            .getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    /**
     * Responses API calls chained by {@code previous_response_id} (stored conversations): the request
     * carries only what is new (a tool's output, the next prompt), so nothing in it names the
     * conversation; the chain does. Keeps hashes of the call's response id and of the id it continues.
     */
    private static void responseChain(Item it, LlmCall call, HttpExchange exchange) {
        if (!"openai-responses".equals(call.wireApi())) {
            return;
        }
        if (call.responseId() != null && !call.responseId().isEmpty()) {
            it.responseId = charHash(call.responseId());
        }
        if (Conversations.requestBodyContains(exchange, PREVIOUS_RESPONSE_ID)) {
            String prev = Conversations.jsonString(Conversations.requestBody(exchange), "previous_response_id");
            if (prev != null && !prev.isEmpty()) {
                it.previousResponseId = charHash(prev);
            }
        }
        if (Conversations.requestBodyContains(exchange, CONVERSATION)) {
            Matcher m = CONVERSATION_ID.matcher(Conversations.requestBody(exchange));
            if (m.find()) {
                it.conversationId = charHash(m.group(1) != null ? m.group(1) : m.group(2));
            }
        }
    }

    private static final byte[] CONVERSATION = "\"conversation\"".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    /** Responses {@code conversation}: an id string or {@code {"id": ...}} (Conversations API ids start conv_). */
    private static final Pattern CONVERSATION_ID = Pattern
            .compile("\"conversation\"\\s*:\\s*(?:\"(conv_[^\"]+)\"|\\{\\s*\"id\"\\s*:\\s*\"(conv_[^\"]+)\")");

    /** {@link AgentProfile#isTerminal} of a call: {@link #NO}, {@link #YES} or {@link #THREW}. */
    private static byte terminal(AgentProfile profile, LlmCall call) {
        try {
            return profile.isTerminal(call) ? YES : NO;
        } catch (RuntimeException e) {
            // counted as a contribution error when the grouping asks (as when it asked the profile itself)
            return THREW;
        }
    }

    private static final byte NO = 0;
    private static final byte YES = 1;
    private static final byte THREW = 2;

    /** The tool calls of the response: ids and names for the links, spawn-tool facts for sub-agents. */
    private static void toolFacts(Item it, LlmCall call) {
        List<ToolCall> tcs = call.toolCalls();
        if (tcs.isEmpty()) {
            return;
        }
        int n = tcs.size();
        it.toolIds = new String[n];
        it.toolNames = new String[n];
        long[] prompts = null;
        int np = 0;
        for (int i = 0; i < n; i++) {
            ToolCall tc = tcs.get(i);
            it.toolIds[i] = tc.id();
            it.toolNames[i] = tc.name();
            if (!SPAWN_TOOLS.contains(tc.name())) {
                continue;
            }
            it.asksSpawn = true;
            if (tc.argumentsJson() == null) {
                continue;
            }
            if (it.spawnedType == null) {
                Matcher m = SUBAGENT_TYPE.matcher(tc.argumentsJson());
                if (m.find()) {
                    it.spawnedType = m.group(1);
                }
            }
            Matcher m = PROMPT_ARGUMENT.matcher(tc.argumentsJson());
            if (m.find()) {
                String prompt = Conversations.stripScaffolding(unescapeJson(m.group(1)));
                if (!prompt.isEmpty()) {
                    if (prompts == null) {
                        prompts = new long[n];
                    }
                    prompts[np++] = Conversations.fnv(Conversations.FNV_BASIS, prompt);
                }
            }
        }
        it.spawnPrompts = prompts == null ? NO_LONGS : Arrays.copyOf(prompts, np);
    }

    private static final long[] NO_LONGS = {};
    private static final String[] NO_STRINGS = {};

    /**
     * FNV-1a 64 over the UTF-16 code units of a text, white space included: stands for the text where
     * only equality matters (a user prompt and its retry), so the text itself need not be kept.
     */
    static long charHash(String s) {
        long h = Conversations.FNV_BASIS;
        for (int i = 0, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            h = (h ^ (c & 0xff)) * 0x100000001b3L;
            h = (h ^ (c >>> 8)) * 0x100000001b3L;
        }
        return h;
    }

    /** One canonical instance per distinct model name and host, so 100,000s of records share a few strings. */
    private final ConcurrentHashMap<String, String> strings = new ConcurrentHashMap<>();

    private String canonical(String s) {
        if (s == null) {
            return null;
        }
        String known = strings.putIfAbsent(s, s);
        return known != null ? known : s;
    }

    private String host(String s) {
        return canonical(s);
    }

    /**
     * One call as the grouping needs it: what {@link #add} took from the call and its profile (fixed),
     * and what the current {@link TurnTracker#finish()} decided (reset each time). Holds no reference
     * to the call, its messages or its exchange.
     */
    private static final class Item {
        final long id;
        final long exchangeId;
        final long requestNanos;
        final long endNanos;
        final String host;
        /** The call got no usable answer (HTTP error, stream error, no response). */
        final boolean failed;
        // Set by add() for calls a profile owns (kind != null).
        String kind;
        CallRole profileRole;
        String infoSubagentName;
        String parentAgentId;
        String profileSessionId;
        String model;
        long input;
        long output;
        long cacheRead;
        long cacheWrite;
        /** {@link #charHash} of the user's newest visible text (see {@link Conversations#lastUserText}). */
        long lastUserText;
        boolean hasLastUserText;
        /** Preview of that text, for a call the profile says starts a user turn. */
        String userPreview;
        /** Preview of the answer, for a main-agent call that can end its turn. */
        String finalPreview;
        /** FNV-1a 64 of the opening user text (see {@link Conversations#hash}). */
        long opening;
        /** Hash of the visible opening user text, to recognise a sub-agent by its spawn prompt. */
        long visibleOpening;
        boolean hasVisibleOpening;
        byte terminal;
        /** The response's tool calls (as sent) and their names; empty when it asked for none. */
        String[] toolIds = NO_STRINGS;
        String[] toolNames = NO_STRINGS;
        /** Whether a tool call starts a sub-agent (Agent, Task, ...); the type it names; its prompts' hashes. */
        boolean asksSpawn;
        String spawnedType;
        long[] spawnPrompts = NO_LONGS;
        /** Tool results new in this request (see {@link TurnTracker#newResults}). */
        ResultRef[] results;
        /** {@link #charHash} of the Responses API response id, and of the request's previous_response_id; 0: none. */
        long responseId;
        long previousResponseId;
        /** {@link #charHash} of the Responses request's {@code conversation} id; 0: none. */
        long conversationId;
        String profileAgentKey = MAIN;
        // Decided by finish().
        String sessionId;
        String agentKey = MAIN;
        CallRole spawnedRole;
        Item spawnedBy;
        Turn turn;
        long parentCallId;
        String subagentName;

        Item(LlmCall call, String host) {
            this.id = call.id();
            this.exchangeId = call.exchangeId();
            this.requestNanos = call.requestNanos();
            this.endNanos = call.endNanos();
            this.host = host;
            this.failed = call.isError() || call.status() == 0;
        }

        /** Forgets what a previous {@link TurnTracker#finish()} decided. */
        void reset() {
            sessionId = profileSessionId;
            agentKey = profileAgentKey;
            spawnedRole = null;
            spawnedBy = null;
            turn = null;
            parentCallId = 0;
            subagentName = kind == null || profileRole != CallRole.SUBAGENT ? null
                    : infoSubagentName != null ? infoSubagentName : agentKey;
        }

        CallRole role() {
            return spawnedRole != null ? spawnedRole : profileRole;
        }

        boolean isMain() {
            return role() == CallRole.USER_TURN_START || role() == CallRole.CONTINUATION;
        }

        long t() {
            return requestNanos;
        }

        long lastNanos() {
            return Math.max(requestNanos, endNanos);
        }

        boolean sameLastUserText(Item o) {
            return hasLastUserText == o.hasLastUserText && lastUserText == o.lastUserText;
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
            .thenComparingLong(i -> i.id).thenComparingLong(i -> i.exchangeId);

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
        followResponseChains(agentItems);
        joinFailedAttemptsToTheirRetries(agentItems);
        recogniseSpawnedSubagents(agentItems);
        joinStraySideCalls(agentItems);
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

        List<PlacedCall> calls = new ArrayList<>(items.size());
        for (Item it : items) {
            if (it.kind == null) {
                calls.add(new PlacedCall(it.id, null));
                continue;
            }
            long turnId = it.turn == null ? 0 : it.turn.built.id();
            calls.add(new PlacedCall(it.id, new AgentTag(it.kind, it.sessionId, turnId,
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

    /** Asks the profiles about one call; null when no profile owns it. */
    private Contribution<AgentProfile> classify(Item it, LlmCall call, HttpExchange exchange) {
        Contribution<AgentProfile> c = profiles.match(call, exchange, health);
        if (c == null) {
            return null;
        }
        AgentCallInfo info;
        try {
            info = c.get().classify(call, exchange);
        } catch (RuntimeException e) {
            health.inc(PipelineHealth.CONTRIBUTION_ERRORS);
            return null;
        }
        if (info == null || info.role() == null || info.sessionKey() == null) {
            health.inc(PipelineHealth.CONTRIBUTION_ERRORS);
            return null;
        }
        it.kind = c.id();
        it.profileRole = info.role();
        it.infoSubagentName = info.subagentName();
        it.parentAgentId = info.parentAgentId();
        it.profileSessionId = c.id() + ":" + info.sessionKey();
        it.sessionId = it.profileSessionId;
        if (info.role() == CallRole.SUBAGENT) {
            it.profileAgentKey = info.agentId() != null ? info.agentId()
                    : info.subagentName() != null ? info.subagentName() : "subagent";
            it.agentKey = it.profileAgentKey;
            it.subagentName = info.subagentName() != null ? info.subagentName() : it.agentKey;
        }
        return c;
    }

    /**
     * A session key synthesised from the conversation needs the model's answer, which a failed attempt
     * never got, so a failed first call and its retry get different keys. A session made of failed calls
     * only is therefore moved into the session of the first later call of the same agent kind and server
     * that repeats the same conversation (same opening, same newest user text) within the idle timeout.
     */
    private void joinFailedAttemptsToTheirRetries(List<Item> items) {
        if (items.stream().noneMatch(it -> it.failed)) {
            return; // only failed calls move
        }
        Map<String, Boolean> sessionHasAnswer = new HashMap<>();
        for (Item it : items) {
            sessionHasAnswer.merge(it.sessionId, !it.failed, Boolean::logicalOr);
        }
        for (int i = 0; i < items.size(); i++) {
            Item f = items.get(i);
            if (sessionHasAnswer.get(f.sessionId) || !f.failed) {
                continue;
            }
            long opening = f.opening;
            for (int j = i + 1; j < items.size(); j++) {
                Item r = items.get(j);
                if (r.t() - f.t() > idleNanos) {
                    break; // items are in event order: no retry this late
                }
                if (!r.failed && r.kind.equals(f.kind) && Objects.equals(r.host, f.host)
                        && !r.sessionId.equals(f.sessionId)
                        && opening == r.opening && f.sameLastUserText(r)) {
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

    /**
     * A Responses API call that continues a stored response ({@code previous_response_id}) sends only
     * what is new, so the key the profile synthesised from it names no conversation (and two chains
     * answered alike would share it). It joins the session of the call that got that response, if it
     * was captured: same agent kind and server, earlier in event order. Chains resolve front to back.
     * Likewise the calls of one Conversations API conversation ({@code conversation} in the request)
     * share the session of its first call.
     */
    private static void followResponseChains(List<Item> items) {
        Map<Long, Item> byResponse = null;
        Map<Long, Item> byConversation = null;
        for (Item it : items) {
            if (it.conversationId != 0) {
                // A Conversations API conversation: its first call's session holds every later call.
                if (byConversation == null) {
                    byConversation = new HashMap<>();
                }
                Item first = byConversation.putIfAbsent(it.conversationId, it);
                if (first != null && first.kind.equals(it.kind) && Objects.equals(first.host, it.host)) {
                    it.sessionId = first.sessionId;
                }
            }
            if (it.previousResponseId != 0 && byResponse != null) {
                Item prev = byResponse.get(it.previousResponseId);
                if (prev != null && prev.kind.equals(it.kind) && Objects.equals(prev.host, it.host)) {
                    it.sessionId = prev.sessionId;
                }
            }
            if (it.responseId != 0) {
                if (byResponse == null) {
                    byResponse = new HashMap<>();
                }
                byResponse.putIfAbsent(it.responseId, it);
            }
        }
    }

    /** How far a stray side call may be from the main-agent call whose session it joins. */
    static final long SIDE_CALL_WINDOW_NANOS = 60_000_000_000L;

    /**
     * A side call keyed by a conversation it quotes only in part (Gemini CLI's router sends only the
     * latest messages of a long conversation; a title call without a session header) lands in a session
     * of side calls only, which has no turn to join. Such a call moves into the session of the nearest
     * main-agent call of the same agent kind and server: the first one after it within
     * {@link #SIDE_CALL_WINDOW_NANOS} (title and router calls are made just before their turn's first
     * call), else the last one before it within that window (summaries are made after).
     */
    private static void joinStraySideCalls(List<Item> items) {
        Set<String> sessionsWithOtherCalls = new HashSet<>();
        boolean anyAux = false;
        for (Item it : items) {
            if (it.role() == CallRole.AUXILIARY) {
                anyAux = true;
            } else {
                sessionsWithOtherCalls.add(it.sessionId);
            }
        }
        if (!anyAux) {
            return;
        }
        List<Item> moves = new ArrayList<>();
        List<String> targets = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            Item a = items.get(i);
            if (a.role() != CallRole.AUXILIARY || sessionsWithOtherCalls.contains(a.sessionId)) {
                continue;
            }
            Item pick = null;
            for (int j = i + 1; j < items.size() && pick == null; j++) {
                Item m = items.get(j);
                if (m.t() - a.t() > SIDE_CALL_WINDOW_NANOS) {
                    break; // event order: nothing later is nearer
                }
                pick = sameAgentMainCall(a, m) ? m : null;
            }
            for (int j = i - 1; j >= 0 && pick == null; j--) {
                Item m = items.get(j);
                if (a.t() - m.t() > SIDE_CALL_WINDOW_NANOS) {
                    break;
                }
                pick = sameAgentMainCall(a, m) ? m : null;
            }
            if (pick != null) {
                moves.add(a);
                targets.add(pick.sessionId);
            }
        }
        // Moved after the search, so one move never decides another.
        for (int k = 0; k < moves.size(); k++) {
            moves.get(k).sessionId = targets.get(k);
        }
    }

    private static boolean sameAgentMainCall(Item side, Item m) {
        return m.isMain() && m.kind.equals(side.kind) && Objects.equals(m.host, side.host);
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
                    it.agentKey = "spawn:" + parent.id + ":" + Conversations.hex(it.visibleOpening);
                    it.subagentName = parent.spawnedType != null ? parent.spawnedType : "subagent";
                }
            }
            for (long prompt : it.spawnPrompts) {
                spawnByPrompt.putIfAbsent(new SpawnKey(it.kind, prompt), it);
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
                    it.parentCallId = parent.id;
                    if (parent.spawnedType != null) {
                        it.subagentName = parent.spawnedType;
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
                    Turn last = turns.isEmpty() ? null : turns.get(turns.size() - 1);
                    if (last != null && last.terminal != null && it.t() - last.lastActivity <= idleNanos) {
                        // The agent went on after an answer that looked final (Gemini CLI's "Please
                        // continue." after its next-speaker check, a retry of a call whose answer the
                        // client lost): still that turn, which the next final answer ends.
                        open = last;
                        open.terminal = null;
                    } else {
                        // The turn's start was not captured (or not recognised): keep its calls together.
                        open = new Turn(false);
                        turns.add(open);
                    }
                }
                open.add(it);
                if (!it.failed && isTerminal(it)) {
                    open.terminal = it;
                    open = null;
                }
            }
            }
        }
        attachAuxiliary(aux, turns);
        return turns;
    }

    /** What the profile said in {@link #add}; a profile that threw counts as a contribution error, each time. */
    private boolean isTerminal(Item it) {
        if (it.terminal == THREW) {
            health.inc(PipelineHealth.CONTRIBUTION_ERRORS);
        }
        return it.terminal == YES;
    }

    /** A user-turn start after a failed call that asks the same thing again is a retry. */
    private static boolean isRetryOf(Item it, Item lastMain) {
        if (lastMain == null || !lastMain.failed) {
            return false;
        }
        return it.sameLastUserText(lastMain);
    }

    /**
     * The parent agent's call whose response started this sub-agent: the latest earlier call of the
     * parent agent in the turn that asked for a spawn tool, else the latest earlier one with any tool call,
     * else the latest earlier one.
     */
    private static Item findParent(Turn t, Item sub) {
        String parentKey = sub.parentAgentId == null ? MAIN : sub.parentAgentId;
        Item spawn = null;
        Item anyTool = null;
        Item any = null;
        for (Item c : t.items) {
            if (c.t() > sub.t() || c == sub || !parentKey.equals(c.agentKey)
                    || c.role() == CallRole.AUXILIARY) {
                continue;
            }
            any = later(any, c);
            if (c.toolNames.length > 0) {
                anyTool = later(anyTool, c);
            }
            if (c.asksSpawn) {
                spawn = later(spawn, c);
            }
        }
        return spawn != null ? spawn : anyTool != null ? anyTool : any;
    }

    private static Item later(Item a, Item b) {
        return a == null || EVENT_ORDER.compare(b, a) > 0 ? b : a;
    }

    /**
     * Auxiliary calls join the turn whose span holds them, else the next turn when they quote its
     * prompt (a router call carries the new user text: it was made for that turn, however soon the
     * previous turn ended), else the nearer of the previous and the next turn (a title or router call
     * is made just before its turn's first call; a summary just after its last), within the idle timeout.
     */
    private void attachAuxiliary(List<Item> aux, List<Turn> turns) {
        if (aux.isEmpty()) {
            return;
        }
        // Spans before any auxiliary call is added, so the attachment does not depend on aux order.
        int n = turns.size();
        long[] starts = new long[n];
        long[] ends = new long[n];
        Item[] openers = new Item[n];
        for (int i = 0; i < n; i++) {
            starts[i] = turns.get(i).start;
            ends[i] = turns.get(i).lastActivity;
            for (Item m : turns.get(i).items) {
                if (m.role() == CallRole.USER_TURN_START) {
                    openers[i] = m;
                    break;
                }
            }
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
                boolean quotesNext = next >= 0 && it.hasLastUserText && openers[next] != null
                        && openers[next].sameLastUserText(it);
                int pick = quotesNext || dNext <= dPrev ? next : prev;
                if (quotesNext) {
                    dPrev = Long.MAX_VALUE; // the window below is the next turn's
                }
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
        final int index;
        Item resultCall;
        boolean isError;

        Pending(Item asker, int index) {
            this.asker = asker;
            this.index = index;
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
            for (ResultRef r : it.results) {
                Pending p = null;
                String id = r.toolCallId;
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
            for (int i = 0; i < it.toolIds.length; i++) {
                Pending p = new Pending(it, i);
                all.add(p);
                String id = Conversations.canonicalToolId(it.toolIds[i]);
                if (id == null || id.isEmpty()) {
                    withoutId.computeIfAbsent(it.agentKey, k -> new ArrayDeque<>()).add(p);
                } else {
                    byId.computeIfAbsent(id, k -> new ArrayDeque<>()).add(p);
                }
            }
        }
        List<ToolLink> out = new ArrayList<>(all.size());
        for (Pending p : all) {
            Item asker = p.asker;
            long duration = 0;
            long resultId = 0;
            if (p.resultCall != null) {
                resultId = p.resultCall.id;
                long askedEnd = asker.endNanos > 0 ? asker.endNanos : asker.requestNanos;
                duration = Math.max(0, p.resultCall.requestNanos - askedEnd);
            }
            out.add(new ToolLink(asker.toolIds[p.index], asker.toolNames[p.index], asker.id, resultId, duration,
                    p.isError));
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

    /** A tool result: the tool-call id it answers ({@link Conversations#canonicalToolId canonical}) or null. */
    private record ResultRef(String toolCallId, boolean isError) {
    }

    private static final ResultRef[] NO_RESULTS = {};

    /**
     * Tool results new in this request: the tool messages after the last assistant message ({@code tail},
     * see {@link Conversations#tail}); the call's tool results when its messages were not decoded.
     */
    private static ResultRef[] newResults(LlmCall call, List<Message> tail) {
        List<ResultRef> out = new ArrayList<>();
        if (call.messages().isEmpty()) {
            call.toolResults().forEach(
                    r -> out.add(new ResultRef(Conversations.canonicalToolId(r.toolCallId()), r.isError())));
        } else {
            for (Message m : tail) {
                if ("tool".equals(m.role()) || m.toolCallId() != null) {
                    out.add(new ResultRef(Conversations.canonicalToolId(m.toolCallId()), m.isError()));
                }
            }
        }
        return out.isEmpty() ? NO_RESULTS : out.toArray(NO_RESULTS);
    }

    private static AgentTurn buildTurn(Turn t, Map<Long, Integer> toolErrorsByAsker) {
        Item first = t.items.get(0);
        long in = 0, out = 0, cr = 0, cw = 0, end = Long.MIN_VALUE;
        int toolCalls = 0, toolErrors = 0;
        // Distinct in first-seen order; a turn has one or two models and rarely a sub-agent, so a
        // short list beats a hash set per turn.
        List<String> models = new ArrayList<>(2);
        List<String> subagents = List.of();
        String userPreview = null;
        int n = t.items.size();
        Long[] ids = new Long[n];
        for (int k = 0; k < n; k++) {
            Item it = t.items.get(k);
            ids[k] = it.id;
            in += it.input;
            out += it.output;
            cr += it.cacheRead;
            cw += it.cacheWrite;
            end = Math.max(end, it.lastNanos());
            toolCalls += it.toolIds.length;
            if (!toolErrorsByAsker.isEmpty()) {
                toolErrors += toolErrorsByAsker.getOrDefault(it.id, 0);
            }
            if (it.model != null && !models.contains(it.model)) {
                models.add(it.model);
            }
            if (it.role() == CallRole.SUBAGENT && it.subagentName != null && !subagents.contains(it.subagentName)) {
                if (subagents.isEmpty()) {
                    subagents = new ArrayList<>(2);
                }
                subagents.add(it.subagentName);
            }
            if (userPreview == null && it.role() == CallRole.USER_TURN_START) {
                userPreview = it.userPreview;
            }
        }
        boolean complete = t.terminal != null && t.startedByUser;
        String finalPreview = t.terminal == null ? null : t.terminal.finalPreview;
        return new AgentTurn(first.id, first.sessionId, first.kind,
                complete ? AgentTurn.Status.COMPLETE : AgentTurn.Status.INCOMPLETE, t.start, end, List.of(ids), in, out, cr,
                cw, toolCalls, toolErrors, List.copyOf(models), List.copyOf(subagents), userPreview, finalPreview);
    }

    private static AgentSession buildSession(String id, List<Item> items, List<Turn> turns) {
        long start = Long.MAX_VALUE, end = Long.MIN_VALUE, in = 0, out = 0, cr = 0, cw = 0;
        for (Item it : items) {
            start = Math.min(start, it.t());
            end = Math.max(end, it.lastNanos());
            in += it.input;
            out += it.output;
            cr += it.cacheRead;
            cw += it.cacheWrite;
        }
        if (turns.size() == 1) {
            // Most sessions of a big capture have one turn: no set, no sort.
            return new AgentSession(id, items.get(0).kind, List.of(turns.get(0).built.id()), start, end, in, out, cr,
                    cw);
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
