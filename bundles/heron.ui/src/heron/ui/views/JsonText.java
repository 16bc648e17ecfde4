package heron.ui.views;

import java.io.IOException;
import java.io.StringWriter;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;

/** Pretty-prints JSON text for display, streaming; anything that is not JSON comes back unchanged. */
public final class JsonText {
    private static final JsonFactory JSON = new JsonFactory();

    private JsonText() {
    }

    public static String pretty(String text) {
        if (text == null || text.isBlank()) {
            return text == null ? "" : text;
        }
        char first = text.stripLeading().charAt(0);
        if (first != '{' && first != '[') {
            return text;
        }
        StringWriter out = new StringWriter(text.length() + text.length() / 4);
        try (JsonParser p = JSON.createParser(text); JsonGenerator g = JSON.createGenerator(out)) {
            g.useDefaultPrettyPrinter();
            while (p.nextToken() != null) {
                g.copyCurrentEvent(p);
            }
        } catch (IOException e) {
            return text; // invalid or truncated JSON: show as sent
        }
        return out.toString();
    }
}
