package heron.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import heron.core.health.PipelineHealth;
import heron.core.model.HttpExchange;
import heron.testing.Corpus;

/**
 * Compares a capture's reconstruction with its truth.json {@code exchanges[]}: per client
 * ip:port, the same requests (method + path incl. query) in the same order, with status and
 * streaming. Captures cut by a snaplen must show the loss in the health counters instead;
 * captures that start mid-connection may miss the leading exchanges of a connection.
 */
final class TruthCheck {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Returns a one-line summary; fails the test on a mismatch. */
    static String check(Path capture) throws IOException {
        JsonNode truth = JSON.readTree(Files.readAllBytes(Corpus.truthOf(capture)));
        NetRun run = NetRun.of(capture, 1);
        String name = capture.getFileName().toString();
        JsonNode caps = truth.path("capinfos");
        String snap = caps.path("Packet size limit").asText("");
        boolean snaplenCut = !snap.isEmpty() && !snap.startsWith("(") && Long.parseLong(snap) < 65535;
        String prefix = "";
        if (snaplenCut) {
            // bodies (and most headers) are missing: the loss must be counted, and what is left of
            // each message (start line) must still be right
            assertTrue(run.count(PipelineHealth.PACKETS_TRUNCATED_SNAPLEN) > 0, name + ": snaplen loss not counted");
            assertTrue(run.count(PipelineHealth.TCP_GAP_BYTES) > 0, name + ": snaplen gaps not counted");
            prefix = "snaplen " + snap + " (" + run.count(PipelineHealth.PACKETS_TRUNCATED_SNAPLEN)
                    + " truncated packets, " + run.count(PipelineHealth.TCP_GAP_BYTES) + " gap bytes counted), ";
        }
        // known by construction: editcap removed the first packets, so a connection's leading
        // exchanges are not in the capture at all
        boolean midstream = name.contains("midconn");
        Map<String, List<JsonNode>> expected = new LinkedHashMap<>();
        for (JsonNode e : truth.path("exchanges")) {
            expected.computeIfAbsent(e.path("tcp_connection").path("client").asText(), k -> new ArrayList<>()).add(e);
        }
        Map<String, List<HttpExchange>> actual = new LinkedHashMap<>();
        for (HttpExchange x : run.exchanges) {
            actual.computeIfAbsent(x.client().toString(), k -> new ArrayList<>()).add(x);
        }
        int matched = 0;
        for (Map.Entry<String, List<JsonNode>> en : expected.entrySet()) {
            List<JsonNode> want = en.getValue();
            List<HttpExchange> got = actual.getOrDefault(en.getKey(), List.of());
            int skip = 0;
            if (got.size() < want.size()) {
                if (!midstream) {
                    fail(name + ": client " + en.getKey() + " expected " + want.size() + " exchanges, got " + got.size()
                            + ": " + describe(got));
                }
                skip = want.size() - got.size(); // capture starts after these
            }
            assertEquals(want.size() - skip, got.size(), name + ": client " + en.getKey() + " " + describe(got));
            for (int i = 0; i < got.size(); i++) {
                JsonNode w = want.get(i + skip);
                HttpExchange g = got.get(i);
                String where = name + " " + en.getKey() + " #" + (i + skip + 1);
                assertEquals(w.path("method").asText(), g.request().method(), where);
                assertEquals(w.path("path").asText(), g.request().target(), where);
                assertTrue(g.hasResponse(), where + ": no response");
                assertEquals(w.path("status").asInt(), g.response().status(), where);
                boolean aborted = w.path("response").path("aborted_by_client_before_end").asBoolean(false);
                String framing = w.path("response").path("stream_framing").asText("");
                if (snaplenCut) {
                    assertTrue(!g.response().complete() && g.response().body().truncated(), where + ": cut response");
                    matched++;
                    continue;
                }
                if (w.path("stream").asBoolean() && g.response().status() == 200
                        && (framing.isEmpty() || framing.equals("text/event-stream"))) {
                    assertTrue(g.response().isEventStream(), where + ": expected an event stream");
                    assertTrue(!g.response().events().isEmpty(), where + ": no SSE events");
                }
                if (aborted) {
                    assertTrue(!g.response().complete(), where + ": aborted stream reported complete");
                } else {
                    assertTrue(g.response().complete(), where + ": response incomplete");
                }
                matched++;
            }
        }
        for (String client : actual.keySet()) {
            assertTrue(expected.containsKey(client), name + ": unexpected exchanges from " + client);
        }
        return name + ": " + prefix + matched + "/" + truth.path("exchanges").size() + " exchanges matched";
    }

    private static String describe(List<HttpExchange> got) {
        StringBuilder sb = new StringBuilder("[");
        for (HttpExchange x : got) {
            sb.append(x.request().method()).append(' ').append(x.request().target()).append(" -> ")
                    .append(x.hasResponse() ? x.response().status() : "none").append("; ");
        }
        return sb.append(']').toString();
    }
}
