package heron.core.filter;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import heron.core.model.Endpoint;
import heron.core.model.LlmCall;

/**
 * The filter language of the LLM Calls view, in the spirit of Wireshark display filters:
 * field comparisons combined with {@code and}, {@code or}, {@code not} and parentheses.
 *
 * <pre>
 *   model contains "sonnet" and status >= 400
 *   ttft_ms > 2000 or agent_kind == "claude-code"
 *   not stream and wire_api != "gemini"
 *   model matches "^gpt-4"
 *   request_ns >= 1764240000000000000 and request_ns <= 1764240005000000000
 * </pre>
 *
 * Operators: {@code == != < <= > >= contains matches} (also {@code eq ne lt le gt ge} and
 * {@code && || !}). A bare boolean field ({@code stream}, {@code error}, {@code auxiliary},
 * {@code subagent}) is a test by itself; any other bare field tests that the value is present
 * ({@code not agent_kind}). Strings compare case-insensitively for contains and
 * ==. A field whose value is absent (e.g. TTFT of a call without response) never matches a
 * comparison. Parse errors carry the character position for inline display.
 *
 * <p>The network fields {@code client} (client IP), {@code server} ("ip:port", "[v6]:port"),
 * {@code server_ip} and {@code server_port} are not part of an {@link LlmCall}; they are read
 * through the {@link Route} lookup given to {@link #parse(String, Function)} (the store knows
 * each call's exchange endpoints). Without a lookup they are absent and never match.
 */
public final class CallFilter implements Predicate<LlmCall> {

    /** A syntax error at {@code position} (0-based character index). */
    public static final class ParseException extends Exception {
        private static final long serialVersionUID = 1L;
        private final int position;

        public ParseException(String message, int position) {
            super(message + " (at " + (position + 1) + ")");
            this.position = position;
        }

        public int position() {
            return position;
        }
    }

    /**
     * Where a call went on the network: the client's IP (its port is ephemeral, so not part of
     * the route) and the server endpoint it connected to.
     */
    public record Route(String clientIp, Endpoint server) {
    }

    private final String text;
    private final Predicate<LlmCall> predicate;

    private CallFilter(String text, Predicate<LlmCall> predicate) {
        this.text = text;
        this.predicate = predicate;
    }

    /** The empty filter matches everything. */
    public static CallFilter parse(String text) throws ParseException {
        return parse(text, c -> null);
    }

    /**
     * Parses a filter whose network fields ({@code client}, {@code server}, {@code server_ip},
     * {@code server_port}) are read through {@code routes}; it returns null for a call whose route
     * is unknown. The empty filter matches everything.
     */
    public static CallFilter parse(String text, Function<LlmCall, Route> routes) throws ParseException {
        if (text == null || text.isBlank()) {
            return new CallFilter("", c -> true);
        }
        Parser p = new Parser(text, routes == null ? c -> null : routes);
        Predicate<LlmCall> pred = p.or();
        if (p.peek().kind != Kind.END) {
            throw new ParseException("unexpected '" + p.peek().text + "'", p.peek().pos);
        }
        return new CallFilter(text, pred);
    }

    @Override
    public boolean test(LlmCall call) {
        return predicate.test(call);
    }

    public String text() {
        return text;
    }

    /** The field names the language knows, for completion and help. */
    public static List<String> fields() {
        List<String> all = new ArrayList<>(Fields.NAMES);
        all.addAll(Fields.NETWORK);
        return List.copyOf(all);
    }

    // ---- fields

    private static final class Fields {
        static final List<String> NAMES = List.of("id", "model", "request_model", "response_model", "wire_api",
                "host", "server_kind", "status", "stream", "finish", "finish_reason", "ttft_ms", "e2e_ms", "tpot_ms",
                "input_tokens", "output_tokens", "cache_read_tokens", "cache_write_tokens", "reasoning_tokens",
                "agent_kind", "session_id", "turn_id", "auxiliary", "subagent", "error", "error_type", "tool",
                "tool_calls", "request_ns");
        /** Fields read through the {@link Route} lookup, not from the call. */
        static final List<String> NETWORK = List.of("client", "server", "server_ip", "server_port");

        static Function<LlmCall, Object> network(String name, Function<LlmCall, Route> routes) {
            return switch (name) {
                case "client" -> c -> {
                    Route r = routes.apply(c);
                    return r == null ? null : r.clientIp();
                };
                case "server" -> c -> {
                    Route r = routes.apply(c);
                    return r == null || r.server() == null ? null : r.server().toString();
                };
                case "server_ip" -> c -> {
                    Route r = routes.apply(c);
                    return r == null || r.server() == null ? null : r.server().ip();
                };
                case "server_port" -> c -> {
                    Route r = routes.apply(c);
                    return r == null || r.server() == null ? null : (long) r.server().port();
                };
                default -> null;
            };
        }

        static Function<LlmCall, Object> get(String name) {
            return switch (name) {
                case "id" -> c -> c.id();
                case "model" -> LlmCall::model;
                case "request_model" -> LlmCall::requestModel;
                case "response_model" -> LlmCall::responseModel;
                case "wire_api" -> LlmCall::wireApi;
                case "host" -> LlmCall::host;
                case "server_kind" -> LlmCall::serverKind;
                case "status" -> c -> c.status() == 0 ? null : (long) c.status();
                case "stream" -> LlmCall::stream;
                case "finish" -> c -> c.finish() == null ? null : c.finish().id();
                case "finish_reason" -> LlmCall::finishReason;
                case "ttft_ms" -> LlmCall::ttftMs;
                case "e2e_ms" -> LlmCall::e2eMs;
                case "tpot_ms" -> LlmCall::tpotMs;
                case "input_tokens" -> c -> c.usage().input();
                case "output_tokens" -> c -> c.usage().output();
                case "cache_read_tokens" -> c -> c.usage().cacheRead();
                case "cache_write_tokens" -> c -> c.usage().cacheWrite();
                case "reasoning_tokens" -> c -> c.usage().reasoning();
                case "agent_kind" -> c -> c.agent() == null ? null : c.agent().agentKind();
                case "session_id" -> c -> c.agent() == null ? null : c.agent().sessionId();
                case "turn_id" -> c -> c.agent() == null || c.agent().turnId() == 0 ? null : c.agent().turnId();
                case "auxiliary" -> c -> c.agent() != null && c.agent().auxiliary();
                case "subagent" -> c -> c.agent() != null && c.agent().subagent();
                case "error" -> LlmCall::isError;
                case "error_type" -> c -> c.error() == null ? null : c.error().type();
                // "tool" matches any tool-call name: tool == "Bash"
                case "tool" -> c -> c.toolCalls().stream().map(t -> t.name()).toList();
                case "tool_calls" -> c -> (long) c.toolCalls().size();
                // Request time, nanoseconds since the epoch: the Metrics view's time window.
                case "request_ns" -> c -> c.requestNanos() == 0 ? null : c.requestNanos();
                default -> null;
            };
        }
    }

    // ---- lexer

    private enum Kind {
        IDENT, STRING, NUMBER, OP, LPAREN, RPAREN, AND, OR, NOT, END
    }

    private record Token(Kind kind, String text, int pos) {
    }

    private static List<Token> lex(String s) throws ParseException {
        List<Token> out = new ArrayList<>();
        int i = 0;
        while (i < s.length()) {
            char ch = s.charAt(i);
            if (Character.isWhitespace(ch)) {
                i++;
            } else if (ch == '(') {
                out.add(new Token(Kind.LPAREN, "(", i++));
            } else if (ch == ')') {
                out.add(new Token(Kind.RPAREN, ")", i++));
            } else if (ch == '"' || ch == '\'') {
                int start = i++;
                StringBuilder b = new StringBuilder();
                while (i < s.length() && s.charAt(i) != ch) {
                    if (s.charAt(i) == '\\' && i + 1 < s.length()) {
                        i++;
                    }
                    b.append(s.charAt(i++));
                }
                if (i >= s.length()) {
                    throw new ParseException("unterminated string", start);
                }
                i++;
                out.add(new Token(Kind.STRING, b.toString(), start));
            } else if (Character.isDigit(ch) || (ch == '-' && i + 1 < s.length() && Character.isDigit(s.charAt(i + 1)))) {
                int start = i++;
                while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) {
                    i++;
                }
                out.add(new Token(Kind.NUMBER, s.substring(start, i), start));
            } else if ("=!<>&|".indexOf(ch) >= 0) {
                int start = i;
                String two = i + 1 < s.length() ? s.substring(i, i + 2) : "";
                String op;
                if (two.equals("==") || two.equals("!=") || two.equals("<=") || two.equals(">=") || two.equals("&&")
                        || two.equals("||")) {
                    op = two;
                } else if (ch == '<' || ch == '>' || ch == '!' || ch == '=') {
                    op = String.valueOf(ch);
                } else {
                    throw new ParseException("unknown operator '" + ch + "'", i);
                }
                i += op.length();
                out.add(switch (op) {
                    case "&&" -> new Token(Kind.AND, op, start);
                    case "||" -> new Token(Kind.OR, op, start);
                    case "!" -> new Token(Kind.NOT, op, start);
                    case "=" -> new Token(Kind.OP, "==", start);
                    default -> new Token(Kind.OP, op, start);
                });
            } else if (Character.isLetter(ch) || ch == '_') {
                int start = i;
                while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_'
                        || s.charAt(i) == '.')) {
                    i++;
                }
                String w = s.substring(start, i);
                out.add(switch (w.toLowerCase(Locale.ROOT)) {
                    case "and" -> new Token(Kind.AND, w, start);
                    case "or" -> new Token(Kind.OR, w, start);
                    case "not" -> new Token(Kind.NOT, w, start);
                    case "contains", "matches" -> new Token(Kind.OP, w.toLowerCase(Locale.ROOT), start);
                    case "eq" -> new Token(Kind.OP, "==", start);
                    case "ne" -> new Token(Kind.OP, "!=", start);
                    case "lt" -> new Token(Kind.OP, "<", start);
                    case "le" -> new Token(Kind.OP, "<=", start);
                    case "gt" -> new Token(Kind.OP, ">", start);
                    case "ge" -> new Token(Kind.OP, ">=", start);
                    case "true", "false" -> new Token(Kind.IDENT, w.toLowerCase(Locale.ROOT), start);
                    default -> new Token(Kind.IDENT, w, start);
                });
            } else {
                throw new ParseException("unexpected character '" + ch + "'", i);
            }
        }
        out.add(new Token(Kind.END, "end of filter", s.length()));
        return out;
    }

    // ---- recursive-descent parser: or := and ('or' and)* ; and := unary ('and' unary)* ;
    // unary := 'not' unary | '(' or ')' | comparison

    private static final class Parser {
        private final List<Token> tokens;
        private final Function<LlmCall, Route> routes;
        private int at;

        Parser(String text, Function<LlmCall, Route> routes) throws ParseException {
            tokens = lex(text);
            this.routes = routes;
        }

        Token peek() {
            return tokens.get(at);
        }

        Token next() {
            return tokens.get(at++);
        }

        Predicate<LlmCall> or() throws ParseException {
            Predicate<LlmCall> left = and();
            while (peek().kind == Kind.OR) {
                next();
                left = left.or(and());
            }
            return left;
        }

        Predicate<LlmCall> and() throws ParseException {
            Predicate<LlmCall> left = unary();
            while (peek().kind == Kind.AND) {
                next();
                left = left.and(unary());
            }
            return left;
        }

        Predicate<LlmCall> unary() throws ParseException {
            Token t = peek();
            if (t.kind == Kind.NOT) {
                next();
                return unary().negate();
            }
            if (t.kind == Kind.LPAREN) {
                next();
                Predicate<LlmCall> inner = or();
                if (peek().kind != Kind.RPAREN) {
                    throw new ParseException("missing ')'", peek().pos);
                }
                next();
                return inner;
            }
            return comparison();
        }

        Predicate<LlmCall> comparison() throws ParseException {
            Token field = next();
            if (field.kind != Kind.IDENT) {
                throw new ParseException("expected a field name, found '" + field.text + "'", field.pos);
            }
            String name = field.text.toLowerCase(Locale.ROOT);
            Function<LlmCall, Object> get = Fields.NETWORK.contains(name) ? Fields.network(name, routes)
                    : Fields.get(name);
            if (get == null) {
                throw new ParseException("unknown field '" + field.text + "'; known: " + String.join(", ", fields()),
                        field.pos);
            }
            if (peek().kind != Kind.OP) {
                // A bare boolean field tests itself; any other bare field tests presence, as in
                // Wireshark ("not agent_kind": calls without an agent kind).
                return c -> {
                    Object v = get.apply(c);
                    if (v instanceof Boolean b) {
                        return b;
                    }
                    return v != null && !(v instanceof List<?> l && l.isEmpty());
                };
            }
            Token op = next();
            Token value = next();
            if (value.kind != Kind.STRING && value.kind != Kind.NUMBER && value.kind != Kind.IDENT) {
                throw new ParseException("expected a value after '" + op.text + "'", value.pos);
            }
            return compare(get, op, value);
        }

        private Predicate<LlmCall> compare(Function<LlmCall, Object> get, Token op, Token value) throws ParseException {
            String v = value.text;
            switch (op.text) {
                case "contains" -> {
                    String needle = v.toLowerCase(Locale.ROOT);
                    return c -> anyValue(get.apply(c), x -> x.toString().toLowerCase(Locale.ROOT).contains(needle));
                }
                case "matches" -> {
                    Pattern p;
                    try {
                        p = Pattern.compile(v, Pattern.CASE_INSENSITIVE);
                    } catch (PatternSyntaxException e) {
                        throw new ParseException("invalid regular expression: " + e.getDescription(), value.pos);
                    }
                    return c -> anyValue(get.apply(c), x -> p.matcher(x.toString()).find());
                }
                default -> {
                    String o = op.text;
                    Double num = value.kind == Kind.NUMBER ? Double.valueOf(v) : null;
                    // Epoch nanoseconds exceed a double's 53-bit precision: compare whole numbers exactly.
                    Long whole = value.kind == Kind.NUMBER ? wholeNumber(v) : null;
                    if (num == null && !o.equals("==") && !o.equals("!=")) {
                        throw new ParseException("'" + o + "' needs a number", value.pos);
                    }
                    return c -> {
                        Object x = get.apply(c);
                        if (x == null) {
                            return o.equals("!=");
                        }
                        if (x instanceof List<?> l) {
                            boolean any = l.stream().anyMatch(e -> e.toString().equalsIgnoreCase(v));
                            return o.equals("==") == any;
                        }
                        if (num != null && x instanceof Number n) {
                            int cmp = whole != null && x instanceof Long l ? Long.compare(l, whole)
                                    : Double.compare(n.doubleValue(), num);
                            return switch (o) {
                                case "==" -> cmp == 0;
                                case "!=" -> cmp != 0;
                                case "<" -> cmp < 0;
                                case "<=" -> cmp <= 0;
                                case ">" -> cmp > 0;
                                default -> cmp >= 0;
                            };
                        }
                        boolean eq = x.toString().equalsIgnoreCase(v);
                        return o.equals("==") ? eq : !eq;
                    };
                }
            }
        }

        private static Long wholeNumber(String v) {
            try {
                return Long.valueOf(v);
            } catch (NumberFormatException e) {
                return null; // a fraction or out of range: compared as a double
            }
        }

        private static boolean anyValue(Object x, Predicate<Object> p) {
            if (x == null) {
                return false;
            }
            if (x instanceof List<?> l) {
                return l.stream().anyMatch(p);
            }
            return p.test(x);
        }
    }
}
