package heron.decoders;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

/** The hand-written id matchers of ServerKinds agree with the regular expressions they replace. */
class ServerKindsIdRulesTest {

    private static List<String> candidates(String prefix, int count) {
        List<String> out = new ArrayList<>(List.of("", prefix, prefix + "x", "b-", "b1-", "b-1", "b12-", "b12-0a", "b12-0A",
                "b12-0g", "bb12-0a", "b١٢-0a", "b12--0a", "b12-0a-"));
        Random r = new Random(6);
        String alphabet = "abcdefABCDEFxyzXYZ0123456789-_٣é";
        for (int i = 0; i < 3000; i++) {
            int len = count - 2 + r.nextInt(5);
            StringBuilder sb = new StringBuilder(i % 3 == 0 ? "" : prefix);
            for (int k = 0; k < len; k++) {
                // Mostly valid characters, so that near-misses of the right length are common.
                sb.append(r.nextInt(20) == 0 ? alphabet.charAt(r.nextInt(alphabet.length()))
                        : "0123456789abcdef".charAt(r.nextInt(16)));
            }
            out.add(sb.toString());
        }
        return out;
    }

    @Test
    void idRulesMatchTheirRegularExpressions() {
        for (String s : candidates("msg_01", 22)) {
            assertEquals(s.matches("msg_01[A-Za-z0-9]{22}"), ServerKinds.idOf(s, "msg_01", 22, false), s);
        }
        for (String s : candidates("resp_", 48)) {
            assertEquals(s.matches("resp_[0-9a-f]{48}"), ServerKinds.idOf(s, "resp_", 48, true), s);
        }
        for (String s : candidates("chatcmpl-", 29)) {
            assertEquals(s.matches("chatcmpl-[A-Za-z0-9]{29}"), ServerKinds.idOf(s, "chatcmpl-", 29, false), s);
        }
        int matched = 0;
        for (String s : candidates("b", 4)) {
            assertEquals(s.matches("b\\d+-[0-9a-f]+"), ServerKinds.isLlamaCppFingerprint(s), s);
            matched += s.matches("b\\d+-[0-9a-f]+") ? 1 : 0;
        }
        assertEquals(true, matched > 0, "some fingerprints match");
    }
}
