package heron.core.secrets;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import heron.core.model.Header;
import heron.core.model.Headers;

/**
 * Masks credentials in captured HTTP traffic: secret headers, secret query parameters and common
 * key shapes inside bodies (OpenAI/Anthropic {@code sk-...} keys, Google {@code AIza...} keys,
 * Bearer tokens, JWTs, PEM private keys). A masked value keeps a short, non-secret prefix so the
 * analyst can still tell which kind of key it was, e.g. {@code sk-ant-api03-…[masked]}.
 *
 * <p>Pure, stateless and thread-safe. Masking is idempotent: masked text contains no token that
 * matches again. Every method returns its argument unchanged (the same instance) when nothing was
 * masked, so callers can skip copies cheaply.
 */
public final class SecretMasker {
    /** Appended in place of the secret part of a value. */
    public static final String MARK = "…[masked]";
    private static final byte[] MARK_BYTES = MARK.getBytes(StandardCharsets.UTF_8);

    /** Header names whose whole value is a credential (compared case-insensitively). */
    public static final Set<String> SECRET_HEADERS = Set.of("authorization", "proxy-authorization", "x-api-key",
            "api-key", "x-goog-api-key", "cookie", "set-cookie");
    /** Query parameter names whose value is a credential (compared case-insensitively). */
    public static final Set<String> SECRET_QUERY_PARAMS = Set.of("key", "api-key", "api_key", "access_token");

    // Shortest random part that counts as a key; shorter matches are ordinary words like "sk-learn".
    private static final int MIN_SK_TAIL = 20;
    private static final int AIZA_TAIL = 35;
    private static final int MIN_BEARER_TOKEN = 16;
    private static final int MIN_JWT = 30;
    // A kept prefix never reveals more than this many characters.
    private static final int MAX_KEEP = 16;

    private SecretMasker() {
    }

    /** True for a header whose value is always a credential. */
    public static boolean isSecretHeader(String name) {
        return name != null && SECRET_HEADERS.contains(name.toLowerCase(Locale.ROOT));
    }

    /**
     * Masks secret headers entirely (keeping an auth scheme, cookie names and a recognisable key
     * prefix) and key shapes inside the values of all other headers.
     */
    public static Headers maskHeaders(Headers headers) {
        if (headers == null) {
            return null;
        }
        List<Header> out = null;
        List<Header> list = headers.list();
        for (int i = 0; i < list.size(); i++) {
            Header h = list.get(i);
            String v = h.value();
            String masked = isSecretHeader(h.name()) ? maskHeaderValue(h.name(), v) : maskText(v);
            if (masked != v && out == null) {
                out = new ArrayList<>(list.subList(0, i));
            }
            if (out != null) {
                out.add(masked == v ? h : new Header(h.name(), masked));
            }
        }
        return out == null ? headers : new Headers(out);
    }

    /** Masks the value of a header known to be secret. */
    public static String maskHeaderValue(String name, String value) {
        if (value == null || value.isEmpty() || value.contains(MARK)) {
            return value;
        }
        String n = name.toLowerCase(Locale.ROOT);
        if (n.equals("cookie") || n.equals("set-cookie")) {
            // Cookie names help the analyst (which session?); values are the credential. Set-Cookie
            // attributes after the first pair (Path, Expires ...) are not secret.
            String[] parts = value.split(";", -1);
            StringBuilder sb = new StringBuilder(value.length());
            for (int i = 0; i < parts.length; i++) {
                if (i > 0) {
                    sb.append(';');
                }
                String p = parts[i];
                int eq = p.indexOf('=');
                if (eq >= 0 && (i == 0 || n.equals("cookie"))) {
                    sb.append(p, 0, eq + 1).append(MARK);
                } else {
                    sb.append(p);
                }
            }
            return sb.toString();
        }
        String v = value.trim();
        int sp = v.indexOf(' ');
        if (sp > 0 && sp < 20 && isSchemeName(v, sp)) {
            // "Bearer <token>", "Basic <b64>": the scheme is no secret.
            return v.substring(0, sp + 1) + maskToken(v.substring(sp + 1).trim());
        }
        return maskToken(v);
    }

    /** Replaces a whole credential by its recognisable prefix (if any) and {@link #MARK}. */
    public static String maskToken(String token) {
        if (token == null || token.isEmpty() || token.contains(MARK)) {
            return token;
        }
        byte[] b = token.getBytes(StandardCharsets.UTF_8);
        int keep = knownPrefix(b, 0, b.length);
        return new String(b, 0, keep, StandardCharsets.UTF_8) + MARK;
    }

    /**
     * Masks the values of secret query parameters ({@link #SECRET_QUERY_PARAMS}) in a request
     * target, and key shapes anywhere in it.
     */
    public static String maskTarget(String target) {
        if (target == null) {
            return null;
        }
        int q = target.indexOf('?');
        String result = target;
        if (q >= 0) {
            String[] kvs = target.substring(q + 1).split("&", -1);
            boolean changed = false;
            for (int i = 0; i < kvs.length; i++) {
                int eq = kvs[i].indexOf('=');
                if (eq > 0 && SECRET_QUERY_PARAMS.contains(kvs[i].substring(0, eq).toLowerCase(Locale.ROOT))) {
                    String v = kvs[i].substring(eq + 1);
                    if (!v.isEmpty() && !v.contains(MARK)) {
                        kvs[i] = kvs[i].substring(0, eq + 1) + maskToken(v);
                        changed = true;
                    }
                }
            }
            if (changed) {
                result = target.substring(0, q + 1) + String.join("&", kvs);
            }
        }
        String t = maskText(result);
        return t == result ? result : t;
    }

    /** Masks key shapes inside free text (a body, a message, a header value). */
    public static String maskText(String text) {
        if (text == null || text.isEmpty() || !mayContainSecret(text)) {
            return text;
        }
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        byte[] m = maskBytes(b);
        return m == b ? text : new String(m, StandardCharsets.UTF_8);
    }

    /**
     * Fast pre-check on bytes: the bytes viewed as Latin-1 text (a plain copy) let
     * {@code String.indexOf} run its vectorised search for each fixed key prefix, which is many
     * times faster than any per-byte loop; most bodies hold no key and stop here.
     */
    private static boolean mayContainSecret(byte[] b) {
        if (b.length < 16) {
            return false;
        }
        return mayContainSecret(new String(b, StandardCharsets.ISO_8859_1));
    }

    private static boolean mayContainSecret(String s) {
        return s.contains("sk-") || s.contains("AIza") || s.contains("earer") || s.contains("eyJ")
                || s.contains("-----BEGIN");
    }

    /**
     * Masks key shapes inside UTF-8 bytes (a body). Returns {@code bytes} itself when nothing
     * matched. The replacement only swaps token characters for ASCII and {@link #MARK}, so JSON
     * stays valid JSON.
     */
    public static byte[] maskBytes(byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        if (!mayContainSecret(bytes)) {
            return bytes;
        }
        ByteArrayOutputStream out = null;
        int copied = 0;
        int n = bytes.length;
        // Bodies are large and rarely hold a key, so the loop only stops at bytes that are rare in
        // text and end a key's fixed prefix: the '-' of "sk-" and of "-----BEGIN", the 'z' of
        // "AIza", the 'J' of "eyJ", the space of "Bearer ". Everything else costs one comparison.
        for (int i = 0; i < n; i++) {
            byte c = bytes[i];
            if (c != '-' && c != 'z' && c != 'J' && c != ' ') {
                continue;
            }
            int start = -1;
            int end = -1;
            int keep = 0;
            int resumeFrom = -1; // for PEM: keep the END line after the mark
            if (c == '-') {
                if (i >= 2 && bytes[i - 1] == 'k' && bytes[i - 2] == 's' && i - 2 >= copied
                        && !(i > 2 && isKeyChar(bytes[i - 3]))) {
                    int e = scan(bytes, i + 1, false);
                    if (e - (i + 1) >= MIN_SK_TAIL) {
                        start = i - 2;
                        end = e;
                        keep = knownPrefix(bytes, start, e);
                    }
                } else if (startsWith(bytes, i, "-----BEGIN ")) {
                    int[] pem = pemBody(bytes, i);
                    if (pem != null) {
                        start = i;
                        keep = pem[0] - i;
                        end = pem[1];
                        resumeFrom = pem[1];
                    }
                }
            } else if (c == 'z') {
                if (i >= 2 && bytes[i - 1] == 'I' && bytes[i - 2] == 'A' && i + 1 < n && bytes[i + 1] == 'a'
                        && i - 2 >= copied && !(i > 2 && isKeyChar(bytes[i - 3]))) {
                    int e = scan(bytes, i + 2, false);
                    if (e - (i + 2) >= AIZA_TAIL) {
                        start = i - 2;
                        end = e;
                        keep = 4;
                    }
                }
            } else if (c == 'J') {
                if (i >= 2 && bytes[i - 1] == 'y' && bytes[i - 2] == 'e' && i - 2 >= copied
                        && !(i > 2 && isKeyChar(bytes[i - 3]))) {
                    int e = scan(bytes, i + 1, true);
                    while (e > i && bytes[e - 1] == '.') {
                        e--; // a sentence's full stop is not part of the token
                    }
                    if (e - (i - 2) >= MIN_JWT && dots(bytes, i, e) >= 2) {
                        start = i - 2;
                        end = e;
                        keep = 3;
                    }
                }
            } else if (i >= 6 && (bytes[i - 1] == 'r' || bytes[i - 1] == 'R') && i - 6 >= copied
                    && startsWithIgnoreCase(bytes, i - 6, "bearer ") && !(i > 6 && isKeyChar(bytes[i - 7]))) {
                int s = i + 1;
                while (s < n && bytes[s] == ' ') {
                    s++;
                }
                int e = scanBearer(bytes, s);
                if (e - s >= MIN_BEARER_TOKEN) {
                    start = i - 6;
                    end = e;
                    keep = (s - start) + knownPrefix(bytes, s, e);
                }
            }
            if (start >= 0) {
                if (out == null) {
                    out = new ByteArrayOutputStream(n + 32);
                }
                out.write(bytes, copied, start + keep - copied);
                out.write(MARK_BYTES, 0, MARK_BYTES.length);
                copied = end;
                i = (resumeFrom > 0 ? resumeFrom : end) - 1;
            }
        }
        if (out == null) {
            return bytes;
        }
        out.write(bytes, copied, n - copied);
        return out.toByteArray();
    }

    /**
     * Length of the non-secret prefix of a key: "sk-" plus up to two short segments ("sk-ant-api03-",
     * "sk-proj-"), "AIza", "eyJ"; 0 when the shape is unknown.
     */
    private static int knownPrefix(byte[] b, int from, int to) {
        if (startsWith(b, from, "sk-")) {
            int p = from + 3;
            for (int seg = 0; seg < 2; seg++) {
                int dash = -1;
                for (int j = p; j < Math.min(to, p + 9); j++) {
                    if (b[j] == '-') {
                        dash = j;
                        break;
                    }
                    if (!isAlnum(b[j])) {
                        break;
                    }
                }
                if (dash < 0) {
                    break;
                }
                p = dash + 1;
            }
            return Math.min(p - from, MAX_KEEP);
        }
        if (startsWith(b, from, "AIza")) {
            return 4;
        }
        if (startsWith(b, from, "eyJ")) {
            return 3;
        }
        return 0;
    }

    /** Finds a PEM private key's base64 body: returns {start of body, start of the END line}. */
    private static int[] pemBody(byte[] b, int i) {
        int headerEnd = indexOf(b, "-----", i + 11, Math.min(b.length, i + 80));
        if (headerEnd < 0 || indexOf(b, "PRIVATE KEY", i, headerEnd) < 0) {
            return null;
        }
        int bodyStart = headerEnd + 5;
        int j = bodyStart;
        // Only base64, whitespace and JSON escapes of line breaks: the match never crosses a quote.
        while (j < b.length && (isBase64(b[j]) || b[j] == '\\' || b[j] == '\n' || b[j] == '\r' || b[j] == ' ')) {
            j++;
        }
        if (j - bodyStart < 16 || !startsWith(b, j, "-----END")) {
            return null;
        }
        return new int[] { bodyStart, j };
    }

    private static int scan(byte[] b, int from, boolean dots) {
        int j = from;
        while (j < b.length && (isKeyChar(b[j]) || (dots && b[j] == '.'))) {
            j++;
        }
        return j;
    }

    private static int scanBearer(byte[] b, int from) {
        int j = from;
        // RFC 6750 b64token characters.
        while (j < b.length && (isKeyChar(b[j]) || b[j] == '.' || b[j] == '~' || b[j] == '+' || b[j] == '/')) {
            j++;
        }
        while (j < b.length && b[j] == '=') {
            j++;
        }
        return j;
    }

    private static int dots(byte[] b, int from, int to) {
        int d = 0;
        for (int j = from; j < to; j++) {
            if (b[j] == '.') {
                d++;
            }
        }
        return d;
    }

    private static boolean isSchemeName(String v, int len) {
        for (int i = 0; i < len; i++) {
            char ch = v.charAt(i);
            if (!(ch >= 'A' && ch <= 'Z' || ch >= 'a' && ch <= 'z' || ch == '-')) {
                return false;
            }
        }
        return true;
    }

    private static boolean isAlnum(byte c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9';
    }

    private static boolean isKeyChar(byte c) {
        return isAlnum(c) || c == '-' || c == '_';
    }

    private static boolean isBase64(byte c) {
        return isAlnum(c) || c == '+' || c == '/' || c == '=';
    }

    private static boolean startsWith(byte[] b, int at, String s) {
        if (at + s.length() > b.length) {
            return false;
        }
        for (int k = 0; k < s.length(); k++) {
            if (b[at + k] != s.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    private static boolean startsWithIgnoreCase(byte[] b, int at, String lower) {
        if (at + lower.length() > b.length) {
            return false;
        }
        for (int k = 0; k < lower.length(); k++) {
            int c = b[at + k];
            if (c >= 'A' && c <= 'Z') {
                c += 32;
            }
            if (c != lower.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    private static int indexOf(byte[] b, String s, int from, int to) {
        for (int j = from; j + s.length() <= to; j++) {
            if (startsWith(b, j, s)) {
                return j;
            }
        }
        return -1;
    }
}
