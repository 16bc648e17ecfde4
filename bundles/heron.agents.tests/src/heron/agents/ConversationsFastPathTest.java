package heron.agents;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * The single-pass {@link Conversations#hash}, {@link Conversations#preview},
 * {@link Conversations#stripScaffolding} and {@link Conversations#canonicalToolId} give exactly what
 * their regex definitions give (session ids, previews and tool links depend on it).
 */
class ConversationsFastPathTest {
    private static final Pattern SCAFFOLDING = Pattern.compile(
            "(?s)<(system-reminder|session_context|environment_context|user_instructions|INSTRUCTIONS"
                    + "|local-command-caveat|user-prompt-submit-hook)>.*?</\\1>");
    private static final Pattern STRIPPED_ID_PREFIX = Pattern.compile("^(call|toolu|fc|chatcmpl)([A-Za-z0-9])");
    private static final String[] PIECES = { " ", "  ", "\t", "\n", "\r\n", "\u000B", "\f", "\u00a0", "\u2003",
            "\u001c", "a", "Zz9", "é", "日本", "\uD83D\uDE00", "\uD83D", "\uDE00", "_", "call", "toolu", "fc",
            "chatcmpl", "<system-reminder>", "</system-reminder>", "</", "<", "x".repeat(250), "word " };

    private static String referenceHash(String text) {
        byte[] b = text.replaceAll("\\s+", "").getBytes(StandardCharsets.UTF_8);
        long h = 0xcbf29ce484222325L;
        for (byte x : b) {
            h ^= (x & 0xff);
            h *= 0x100000001b3L;
        }
        return String.format(Locale.ROOT, "%016x", h);
    }

    private static String referencePreview(String text) {
        if (text == null) {
            return null;
        }
        String t = text.strip().replaceAll("\\s+", " ");
        if (t.isEmpty()) {
            return null;
        }
        return t.length() <= 240 ? t : t.substring(0, 239) + "…";
    }

    private static String referenceStrip(String text) {
        return text == null ? "" : SCAFFOLDING.matcher(text).replaceAll("").strip();
    }

    private static String referenceToolId(String id) {
        if (id == null) {
            return null;
        }
        String s = id.strip();
        Matcher m = STRIPPED_ID_PREFIX.matcher(s);
        if (m.find() && !s.startsWith(m.group(1) + "_")) {
            return m.group(1) + "_" + s.substring(m.group(1).length());
        }
        return s;
    }

    private static String randomText(Random r) {
        StringBuilder sb = new StringBuilder();
        int n = r.nextInt(40);
        for (int i = 0; i < n; i++) {
            sb.append(PIECES[r.nextInt(PIECES.length)]);
        }
        return sb.toString();
    }

    @Test
    void singlePassFunctionsEqualTheirRegexDefinitionsOnRandomTexts() {
        Random r = new Random(42);
        for (int i = 0; i < 20_000; i++) {
            String s = randomText(r);
            assertEquals(referenceHash(s), Conversations.hash(s), () -> "hash of " + escape(s));
            assertEquals(referencePreview(s), Conversations.preview(s), () -> "preview of " + escape(s));
            assertEquals(referenceStrip(s), Conversations.stripScaffolding(s), () -> "strip of " + escape(s));
            assertEquals(referenceToolId(s), Conversations.canonicalToolId(s), () -> "tool id " + escape(s));
        }
    }

    @Test
    void knownHashesAndEdgeCasesAreUnchanged() {
        assertEquals(referenceHash(""), Conversations.hash(""));
        assertEquals("cbf29ce484222325", Conversations.hash(" \t\n"));
        // A surrogate pair split by white space is joined again by the white-space removal.
        assertEquals(referenceHash("\uD83D \uDE00"), Conversations.hash("\uD83D \uDE00"));
        assertEquals(referenceHash("a\uD83D"), Conversations.hash("a\uD83D"));
        String longText = " a  b ".repeat(100) + "\n";
        assertEquals(referencePreview(longText), Conversations.preview(longText));
        String exactly240 = "y".repeat(240);
        assertEquals(exactly240, Conversations.preview(exactly240));
        assertEquals("y".repeat(239) + "…", Conversations.preview(exactly240 + "y"));
        assertEquals(referencePreview("x".repeat(240) + "  z"), Conversations.preview("x".repeat(240) + "  z"));
        assertEquals("call_abc", Conversations.canonicalToolId(" callabc "));
        assertEquals("call_abc", Conversations.canonicalToolId("call_abc"));
        assertEquals("call_s", Conversations.canonicalToolId("calls"));
        assertEquals("fc", Conversations.canonicalToolId("fc"));
    }

    private static String escape(String s) {
        StringBuilder sb = new StringBuilder();
        for (char c : s.toCharArray()) {
            sb.append(c < 0x20 || c > 0x7e ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        return sb.toString();
    }
}
