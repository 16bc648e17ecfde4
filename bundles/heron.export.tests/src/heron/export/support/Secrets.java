package heron.export.support;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Credential shapes for masking tests: samples to plant and patterns that must not survive. */
public final class Secrets {
    public static final String ANTHROPIC = "sk-ant-api03-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789";
    public static final String OPENAI = "sk-proj-ZyXwVuTsRqPoNmLkJiHgFeDcBa9876543210";
    public static final String GOOGLE = "AIzaSyA1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7";
    public static final String BEARER = "Bearer tok_9f8e7d6c5b4a39281706abcdef";
    public static final String JWT = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJlLXZhbHVlLTEyMzQ";
    public static final List<String> ALL = List.of(ANTHROPIC, OPENAI, GOOGLE, BEARER, JWT);

    private static final List<Pattern> SHAPES = List.of(Pattern.compile("sk-[A-Za-z0-9_-]{20,}"),
            Pattern.compile("AIza[0-9A-Za-z_-]{30,}"), Pattern.compile("(?i)bearer\\s+[A-Za-z0-9._~+/-]{16,}"),
            Pattern.compile("eyJ[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+"));

    private Secrets() {
    }

    /** All planted secrets, in one text. */
    public static String sample() {
        return "keys: " + ANTHROPIC + " and " + OPENAI + " and " + GOOGLE + " auth " + BEARER + " jwt " + JWT;
    }

    /** Every credential-shaped substring of {@code text}. */
    public static List<String> findShapes(String text) {
        List<String> out = new ArrayList<>();
        for (Pattern p : SHAPES) {
            Matcher m = p.matcher(text);
            while (m.find()) {
                out.add(m.group());
            }
        }
        return out;
    }
}
