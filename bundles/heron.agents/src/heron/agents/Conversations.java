package heron.agents;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import heron.core.agents.AgentCallInfo;
import heron.core.agents.CallRole;
import heron.core.model.FinishKind;
import heron.core.model.HttpExchange;
import heron.core.model.LlmCall;
import heron.core.model.Message;
import heron.core.model.ToolCall;

/**
 * Facts about one call's conversation that every agent profile needs: whether the request starts
 * a user turn, the user's visible text, a session key synthesised from the conversation itself,
 * and header look-ups. Works on the wire-API-neutral {@link Message} list, so it applies to every
 * wire API. Stateless; all methods are thread-safe.
 */
public final class Conversations {

    /**
     * Blocks agents add to user messages that the user did not type: Claude Code's
     * {@code <system-reminder>}, Gemini CLI's {@code <session_context>}, Codex's
     * {@code <environment_context>} / {@code <user_instructions>} / AGENTS.md {@code <INSTRUCTIONS>}.
     */
    private static final Pattern SCAFFOLDING = Pattern.compile(
            "(?s)<(system-reminder|session_context|environment_context|user_instructions|INSTRUCTIONS"
                    + "|local-command-caveat|user-prompt-submit-hook)>.*?</\\1>");

    /** Tool-call id prefixes some proxies echo without their underscore ("calld9c1" for "call_d9c1"). */
    private static final String[] STRIPPED_PREFIXES = { "call", "toolu", "fc", "chatcmpl" };

    private static final int PREVIEW_CHARS = 240;

    private Conversations() {
    }

    /** Roles that carry client instructions, not conversation (Claude Code appends mid-conversation system notices). */
    private static boolean isInstruction(Message m) {
        String r = m.role();
        return "system".equals(r) || "developer".equals(r);
    }

    private static boolean isAssistant(Message m) {
        return "assistant".equals(m.role()) || "model".equals(m.role());
    }

    /**
     * The messages the client added since the model last spoke: everything after the last
     * assistant message (all messages if there is none), without system/developer notices.
     */
    public static List<Message> tail(LlmCall call) {
        List<Message> ms = call.messages();
        int from = 0;
        for (int i = ms.size() - 1; i >= 0; i--) {
            if (isAssistant(ms.get(i))) {
                from = i + 1;
                break;
            }
        }
        List<Message> out = new ArrayList<>();
        for (Message m : ms.subList(from, ms.size())) {
            if (!isInstruction(m)) {
                out.add(m);
            }
        }
        return out;
    }

    /**
     * The session key of a call: the agent's own key when it sent one ({@code own}), else one
     * synthesised from the conversation's opening, else one per call (a call with no readable
     * conversation is a session of its own).
     */
    public static String sessionKey(String own, LlmCall call) {
        if (own != null) {
            return own;
        }
        String opening = openingKey(call);
        return opening != null ? opening : "call-" + call.id();
    }

    /** A main-loop call: it starts a user turn when its request ends with a new user message. */
    public static AgentCallInfo loopStep(String session, LlmCall call) {
        return new AgentCallInfo(session, isUserTurnStart(call) ? CallRole.USER_TURN_START : CallRole.CONTINUATION,
                null);
    }

    /**
     * Whether the request starts a user turn: the client's newest messages hold a user message
     * with visible text (after removing agent scaffolding) and no tool result. A request that
     * delivers tool results is a continuation even if scaffolding or a typed interjection rides
     * along with them.
     */
    public static boolean isUserTurnStart(LlmCall call) {
        if (call.messages().isEmpty()) {
            // Body not decoded into messages: only tool results tell us it is a continuation.
            return call.toolResults().isEmpty();
        }
        List<Message> tail = tail(call);
        for (Message m : tail) {
            if ("tool".equals(m.role()) || m.toolCallId() != null) {
                return promptAfterInterrupt(tail);
            }
        }
        return lastUserText(tail) != null;
    }

    /** Claude Code's marker for a request the user stopped (Esc / Ctrl-C), also "... for tool use]". */
    static final String INTERRUPT_MARKER = "[Request interrupted by user";
    /** Gemini CLI's answer for a tool the user cancelled or denied; the CLI then waits for a new prompt. */
    static final String GEMINI_CANCELLED = "[Operation Cancelled]";
    /** opencode's result for a tool still running when the user stopped the turn. */
    static final String OPENCODE_INTERRUPTED = "[Tool execution was interrupted]";
    /** Codex's record of an interrupted turn: a {@code <turn_aborted>} block in a user message. */
    static final String TURN_ABORTED_END = "</turn_aborted>";

    /**
     * The text after the last interrupt marker of {@code t} (Claude Code's bracketed marker, Codex's
     * {@code <turn_aborted>} block), or null when it has none.
     */
    private static String afterMarker(String t) {
        int cc = t.lastIndexOf(INTERRUPT_MARKER);
        int cx = t.lastIndexOf(TURN_ABORTED_END);
        if (cc < 0 && cx < 0) {
            return null;
        }
        if (cc > cx) {
            int end = t.indexOf(']', cc);
            return end < 0 ? "" : t.substring(end + 1);
        }
        return t.substring(cx + TURN_ABORTED_END.length());
    }

    /** The text after the last interrupt marker (the new prompt), or the text itself when it has none. */
    static String afterInterrupt(String text) {
        String rest = afterMarker(text);
        return rest == null || rest.isBlank() ? text : rest.strip();
    }

    /**
     * A tool result followed by an interrupt marker and new text: the user stopped the turn (while a
     * tool ran, or while the model answered after a tool result) and typed a new prompt. Claude Code
     * merges the cancelled tool's result, its marker and the prompt into one user message; Codex
     * answers the cancelled call with "aborted", adds a {@code <turn_aborted>} message, then the
     * prompt; Gemini CLI answers it with an "[Operation Cancelled] Reason: ..." error and opencode
     * with "[Tool execution was interrupted]", then the prompt. The tool result alone would make
     * each look like a continuation.
     */
    private static boolean promptAfterInterrupt(List<Message> tail) {
        if (lastUserText(tail) == null) {
            return false; // the usual tool-result request: no typed text, nothing to search
        }
        boolean marker = false;
        boolean text = false;
        for (Message m : tail) {
            if (("tool".equals(m.role()) || m.toolCallId() != null)) {
                if (m.text() != null && (m.text().contains(GEMINI_CANCELLED) || m.text().contains(OPENCODE_INTERRUPTED))) {
                    marker = true;
                    text = false;
                }
                continue;
            }
            if (!"user".equals(m.role()) || m.text() == null) {
                continue;
            }
            String t = stripScaffolding(m.text());
            String rest = afterMarker(t);
            if (rest != null) {
                marker = true;
                text = false; // only text after the (last) marker is a new prompt
                t = rest;
            }
            if (marker && !t.isBlank()) {
                text = true;
            }
        }
        return marker && text;
    }

    /**
     * Whether the user's newest visible text starts with {@code prefix}: for the messages an agent
     * adds on its own. The raw text is searched first, so the usual call costs one {@code contains}.
     */
    public static boolean lastUserTextStartsWith(LlmCall call, String prefix) {
        List<Message> tail = tail(call);
        for (int i = tail.size() - 1; i >= 0; i--) {
            Message m = tail.get(i);
            if ("user".equals(m.role()) && m.text() != null && m.text().contains(prefix)) {
                String t = lastUserText(tail);
                return t != null && t.startsWith(prefix);
            }
        }
        return false;
    }

    /** The user's visible text in the newest messages, scaffolding removed, or null. */
    public static String lastUserText(LlmCall call) {
        return lastUserText(tail(call));
    }

    /** {@link #lastUserText(LlmCall)} of a call whose {@link #tail} is given. */
    static String lastUserText(List<Message> tail) {
        for (int i = tail.size() - 1; i >= 0; i--) {
            Message m = tail.get(i);
            if ("user".equals(m.role())) {
                String t = stripScaffolding(m.text());
                if (!t.isEmpty()) {
                    return t;
                }
            }
        }
        return null;
    }

    /** Removes agent scaffolding blocks and trims; never null. */
    public static String stripScaffolding(String text) {
        if (text == null) {
            return "";
        }
        // Every scaffolding block has a closing tag: without "</" the regex cannot match.
        if (text.indexOf("</") < 0) {
            return text.strip();
        }
        return SCAFFOLDING.matcher(text).replaceAll("").strip();
    }

    /** A one-line preview of at most 240 characters, or null for null/blank text. */
    public static String preview(String text) {
        if (text == null) {
            return null;
        }
        // Same result as strip(), then collapsing runs of \s into one space, then cutting to 240
        // characters; but it reads only as far as the preview reaches (texts can be megabytes).
        int from = 0;
        int to = text.length();
        while (from < to) {
            int cp = text.codePointAt(from);
            if (!Character.isWhitespace(cp)) {
                break;
            }
            from += Character.charCount(cp);
        }
        while (to > from) {
            int cp = text.codePointBefore(to);
            if (!Character.isWhitespace(cp)) {
                break;
            }
            to -= Character.charCount(cp);
        }
        if (from == to) {
            return null;
        }
        if (!needsCollapsing(text, from, Math.min(to, from + PREVIEW_CHARS + 1))) {
            if (to - from <= PREVIEW_CHARS) {
                return from == 0 && to == text.length() ? text : text.substring(from, to);
            }
            return text.substring(from, from + PREVIEW_CHARS - 1) + "…";
        }
        StringBuilder sb = new StringBuilder(Math.min(to - from, PREVIEW_CHARS + 1));
        boolean inSpace = false;
        for (int i = from; i < to && sb.length() <= PREVIEW_CHARS; i++) {
            char c = text.charAt(i);
            if (isRegexSpace(c)) {
                inSpace = true;
                continue;
            }
            if (inSpace) {
                sb.append(' ');
                inSpace = false;
                if (sb.length() > PREVIEW_CHARS) {
                    break;
                }
            }
            sb.append(c);
        }
        return sb.length() <= PREVIEW_CHARS ? sb.toString() : sb.substring(0, PREVIEW_CHARS - 1) + "…";
    }

    /** Whether the range holds a {@code \s} character other than a single space. */
    private static boolean needsCollapsing(String text, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c <= ' ' && isRegexSpace(c) && (c != ' ' || (i + 1 < to && isRegexSpace(text.charAt(i + 1))))) {
                return true;
            }
        }
        return false;
    }

    /** The characters of the regex class {@code \s} (without UNICODE_CHARACTER_CLASS). */
    private static boolean isRegexSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\u000B' || c == '\f' || c == '\r';
    }

    /** The text of all user messages before the model's first answer, concatenated. */
    public static String firstUserText(LlmCall call) {
        StringBuilder sb = new StringBuilder();
        for (Message m : call.messages()) {
            if (isAssistant(m)) {
                break;
            }
            if ("user".equals(m.role()) && m.text() != null) {
                sb.append(m.text());
            }
        }
        return sb.toString();
    }

    /**
     * Session key from the conversation's opening: the first user text plus the model's first
     * answer (its first tool-call id, else its text). Agents resend the whole history with every
     * call, so every call of a conversation yields the same key; on the first call the answer is
     * taken from the response. Tool-call ids are unique per conversation, so two conversations
     * opened with the same prompt still get different keys once the model called a tool. Null
     * when the call carries no user text and no answer.
     */
    public static String openingKey(LlmCall call) {
        String user = firstUserText(call);
        String anchor = null;
        for (Message m : call.messages()) {
            if (isAssistant(m)) {
                anchor = m.toolCalls().isEmpty() ? "t:" + nz(m.text()) : "c:" + canonicalToolId(m.toolCalls().get(0).id());
                break;
            }
        }
        if (anchor == null) {
            if (!call.toolCalls().isEmpty()) {
                anchor = "c:" + canonicalToolId(call.toolCalls().get(0).id());
            } else if (call.outputText() != null) {
                anchor = "t:" + call.outputText();
            }
        }
        if (user.isBlank() && anchor == null) {
            return null;
        }
        return hash(user + "\u0001" + nz(anchor));
    }

    /**
     * Session key from the user text before the model's first answer only. Suits agents whose
     * side calls (routers, classifiers) quote the conversation's opening but get answers of their
     * own; two conversations opened with the same words in the same context share the key.
     */
    public static String userOpeningKey(LlmCall call) {
        String user = firstUserText(call);
        return user.isBlank() ? null : hash(user);
    }

    /**
     * 16 hex digits of FNV-1a 64 over the text with all white space removed: decoders may join a
     * message's text parts with or without separators, and the key must not depend on that.
     */
    public static String hash(String text) {
        return hex(fnv(FNV_BASIS, text));
    }

    static final long FNV_BASIS = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    /**
     * Continues an FNV-1a 64 over the UTF-8 bytes of the text without its {@code \s} characters, in one
     * pass without copies: {@code fnv(fnv(FNV_BASIS, a), b)} equals the hash of {@code a + b}, so texts
     * can be hashed piece by piece. Unpaired surrogates count as '?', as {@link String#getBytes} does.
     */
    static long fnv(long h, String text) {
        for (int i = 0, n = text.length(); i < n; i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                if (!isRegexSpace(c)) {
                    h = (h ^ c) * FNV_PRIME;
                }
            } else if (c < 0x800) {
                h = (h ^ (0xc0 | (c >> 6))) * FNV_PRIME;
                h = (h ^ (0x80 | (c & 0x3f))) * FNV_PRIME;
            } else if (Character.isSurrogate(c)) {
                // The white space is removed before encoding, so a pair may be split by it.
                int j = i + 1;
                while (j < n && isRegexSpace(text.charAt(j))) {
                    j++;
                }
                if (Character.isHighSurrogate(c) && j < n && Character.isLowSurrogate(text.charAt(j))) {
                    int cp = Character.toCodePoint(c, text.charAt(j));
                    i = j;
                    h = (h ^ (0xf0 | (cp >> 18))) * FNV_PRIME;
                    h = (h ^ (0x80 | ((cp >> 12) & 0x3f))) * FNV_PRIME;
                    h = (h ^ (0x80 | ((cp >> 6) & 0x3f))) * FNV_PRIME;
                    h = (h ^ (0x80 | (cp & 0x3f))) * FNV_PRIME;
                } else {
                    h = (h ^ '?') * FNV_PRIME;
                }
            } else {
                h = (h ^ (0xe0 | (c >> 12))) * FNV_PRIME;
                h = (h ^ (0x80 | ((c >> 6) & 0x3f))) * FNV_PRIME;
                h = (h ^ (0x80 | (c & 0x3f))) * FNV_PRIME;
            }
        }
        return h;
    }

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    /** 16 lower-case hex digits. */
    static String hex(long h) {
        char[] out = new char[16];
        for (int i = 15; i >= 0; i--) {
            out[i] = HEX[(int) (h & 0xf)];
            h >>>= 4;
        }
        return new String(out);
    }

    /** A tool-call id with a stripped well-known prefix underscore restored; null stays null. */
    public static String canonicalToolId(String id) {
        if (id == null) {
            return null;
        }
        String s = id.strip();
        // A known prefix directly followed by a letter or digit lost its underscore.
        for (String p : STRIPPED_PREFIXES) {
            if (s.length() > p.length() && s.startsWith(p) && isAsciiAlnum(s.charAt(p.length()))) {
                return p + "_" + s.substring(p.length());
            }
        }
        return s;
    }

    /** A request header's value, or null (also when the exchange is unknown). */
    public static String header(HttpExchange exchange, String name) {
        if (exchange == null || exchange.request() == null || exchange.request().headers() == null) {
            return null;
        }
        String v = exchange.request().headers().get(name);
        return v == null || v.isBlank() ? null : v.strip();
    }

    /** The request's User-Agent, or "". */
    public static String userAgent(HttpExchange exchange) {
        String ua = header(exchange, "User-Agent");
        return ua == null ? "" : ua;
    }

    /**
     * Whether the request body's bytes contain {@code ascii} (ASCII only: in UTF-8 its bytes stand
     * for those characters alone, so this is {@code requestBody(exchange).contains(ascii)} without
     * decoding the body into a string).
     */
    public static boolean requestBodyContains(HttpExchange exchange, byte[] ascii) {
        if (exchange == null || exchange.request() == null || exchange.request().body() == null) {
            return false;
        }
        byte[] b = exchange.request().body().bytes();
        int n = ascii.length;
        if (b == null || n > b.length) {
            return false;
        }
        if (n == 0) {
            return true;
        }
        // Horspool: compare the window's last byte first and shift by the table, so a body is
        // read in steps of up to n bytes instead of byte by byte (these bodies are tens of KB).
        int last = n - 1;
        int[] shift = new int[256];
        java.util.Arrays.fill(shift, n);
        for (int k = 0; k < last; k++) {
            shift[ascii[k] & 0xff] = last - k;
        }
        byte end = ascii[last];
        for (int i = 0, stop = b.length - n; i <= stop;) {
            byte c = b[i + last];
            if (c == end && java.util.Arrays.equals(b, i, i + last, ascii, 0, last)) {
                return true;
            }
            i += shift[c & 0xff];
        }
        return false;
    }

    /** The request body as text, or "" (used for small fingerprints only). */
    public static String requestBody(HttpExchange exchange) {
        if (exchange == null || exchange.request() == null || exchange.request().body() == null) {
            return "";
        }
        String t = exchange.request().body().text();
        return t == null ? "" : t;
    }

    /**
     * The string value of a top-level-looking {@code "name": "value"} pair in a JSON text, found
     * without parsing (for small header payloads such as Codex's turn metadata), or null.
     */
    public static String jsonString(String json, String name) {
        if (json == null) {
            return null;
        }
        Matcher m = Pattern.compile("\"" + Pattern.quote(name) + "\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(json);
        return m.find() ? m.group(1) : null;
    }

    /**
     * Default end of a turn for the built-in profiles: the model answered (no tool calls for the
     * client to run, no tool-use finish) and the call did not fail. A failed or cut-off call never
     * ends a turn, because a retry or the user's next attempt can follow. Neither does an
     * Anthropic {@code pause_turn}: the API stopped a long server-tool turn and the client sends
     * the paused answer back for the model to go on.
     */
    public static boolean answeredWithoutTools(LlmCall call) {
        if (call.isError() || call.status() == 0 || asksClientTools(call) || "pause_turn".equals(call.finishReason())) {
            return false;
        }
        FinishKind f = call.finish();
        return f != FinishKind.TOOL_USE && f != FinishKind.ERROR && f != FinishKind.CANCELLED;
    }

    /**
     * Whether the answer asks the client to run a tool. Anthropic's server tools (web search, web
     * fetch, code execution) are run by the API itself within the same call: their
     * {@code server_tool_use} blocks (ids {@code srvtoolu_...}) are listed among the call's tool
     * calls, but nothing is left for the client, so an answer with only those can end a turn.
     */
    static boolean asksClientTools(LlmCall call) {
        for (ToolCall t : call.toolCalls()) {
            if (t.id() == null || !t.id().startsWith("srvtoolu_")) {
                return true;
            }
        }
        return false;
    }

    /** Whether any tool is offered or used anywhere in the call: the mark of an agent loop. */
    public static boolean hasToolActivity(LlmCall call) {
        if (!call.toolsOffered().isEmpty() || !call.toolCalls().isEmpty() || !call.toolResults().isEmpty()) {
            return true;
        }
        for (Message m : call.messages()) {
            if ("tool".equals(m.role()) || !m.toolCalls().isEmpty()) {
                return true;
            }
        }
        return false;
    }

    /** Names of the offered tools. */
    public static boolean offersTool(LlmCall call, String... names) {
        for (var d : call.toolsOffered()) {
            for (String n : names) {
                if (n.equals(d.name())) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The first tool call of the response, or null. */
    public static ToolCall firstToolCall(LlmCall call) {
        return call.toolCalls().isEmpty() ? null : call.toolCalls().get(0);
    }

    private static boolean isAsciiAlnum(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
