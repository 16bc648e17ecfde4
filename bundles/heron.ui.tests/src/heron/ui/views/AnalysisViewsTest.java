package heron.ui.views;

import static heron.ui.UiTestSupport.open;
import static heron.ui.UiTestSupport.show;
import static heron.ui.UiTestSupport.testdata;
import static heron.ui.UiTestSupport.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.eclipse.jface.viewers.StructuredSelection;
import org.eclipse.swt.widgets.TreeItem;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import heron.core.export.ExportOptions;
import heron.core.model.AgentTurn;
import heron.core.model.EntityRef;
import heron.core.model.LlmCall;
import heron.ui.CaptureContext;
import heron.ui.export.ExportJob;
import heron.ui.views.calls.CallDetailView;
import heron.ui.views.calls.CallListView;
import heron.ui.views.exchanges.ExchangeListView;
import heron.ui.views.health.HealthView;
import heron.ui.views.packets.PacketBytesView;
import heron.ui.views.packets.PacketDetailView;
import heron.ui.views.packets.PacketListView;
import heron.ui.views.packets.PacketRow;
import heron.ui.views.summary.SummaryView;
import heron.ui.views.turns.SessionListView;
import heron.ui.views.turns.TurnListView;

/**
 * Opens the real Claude Code sample capture (testdata/cc-turn-2tools.pcap: 109 packets, 4 HTTP
 * exchanges, 3 LLM calls, 1 turn of 1 session, per its truth file) through the Open Capture code
 * path and checks what each view shows.
 */
class AnalysisViewsTest {
    static long captureId;

    @BeforeAll
    static void openSample() {
        captureId = open(testdata("cc-turn-2tools.pcap"));
    }

    static <V extends CaptureView<?>> V loaded(String id) throws Exception {
        V v = show(id);
        v.reload();
        waitFor(id + " loaded", v::isLoaded, 30_000);
        return v;
    }

    @Test
    void packetsViewListsEveryFrameWithWiresharkColumns() throws Exception {
        PacketListView v = loaded(PacketListView.ID);
        assertEquals(109, v.table().table().getItemCount());
        waitFor("first packet row", () -> v.table().row(0) != null, 10_000);
        PacketRow first = v.table().row(0);
        assertEquals(1, first.record().frame());
        assertEquals("TCP", first.dissection().protocol());
        assertTrue(first.dissection().info().contains("[SYN]"), first.dissection().info());
        PacketRow http = null;
        for (int i = 0; i < 109 && http == null; i++) {
            int index = i;
            waitFor("row " + i, () -> v.table().row(index) != null, 10_000);
            if (v.table().row(i).dissection().protocol().equals("HTTP")) {
                http = v.table().row(i);
            }
        }
        assertTrue(http != null && http.dissection().info().startsWith("HEAD / HTTP/1.1"), "first HTTP packet");
        // Linked details: the packet's protocol tree and its bytes.
        PacketDetailView details = show(PacketDetailView.ID);
        PacketBytesView bytes = show(PacketBytesView.ID);
        details.selectionChanged(v, new StructuredSelection(http));
        bytes.selectionChanged(v, new StructuredSelection(http));
        List<String> layers = java.util.Arrays.stream(details.tree().getItems()).map(TreeItem::getText).toList();
        assertTrue(layers.get(1).startsWith("Ethernet II"), layers.toString());
        assertTrue(layers.stream().anyMatch(l -> l.startsWith("Hypertext Transfer Protocol")), layers.toString());
        assertTrue(bytes.text().startsWith("0000  "), bytes.text());
    }

    @Test
    void callsViewShowsTheThreeCallsAndFiltersThem() throws Exception {
        CallListView v = loaded(CallListView.ID);
        assertEquals(3, v.rowCount());
        LlmCall c = v.table().row(0);
        assertEquals("anthropic", c.wireApi());
        assertEquals("claude-code", c.agent().agentKind());
        assertTrue(v.setFilter("finish == \"tool_use\""));
        assertEquals(2, v.rowCount());
        assertTrue(v.setFilter("model contains \"opus\" and status >= 400"));
        assertEquals(0, v.rowCount());
        assertFalse(v.setFilter("model contains"), "a syntax error must be reported");
        assertTrue(v.setFilter(""));
        assertEquals(3, v.rowCount());
    }

    @Test
    void selectingATurnSelectsItsCallsAndShowsTheNarrative() throws Exception {
        TurnListView turns = loaded(TurnListView.ID);
        CallListView calls = loaded(CallListView.ID);
        assertEquals(1, turns.tree().getItemCount());
        TreeItem item = turns.tree().getItem(0);
        AgentTurn turn = (AgentTurn) item.getData();
        assertEquals("complete", item.getText(2));
        assertEquals(3, turn.callIds().size());
        calls.selectionChanged(turns, new StructuredSelection(turn));
        assertEquals(3, calls.table().table().getSelectionCount());
        // Expanding tells the agent's story: user → call → tool call → ... → final answer.
        item.setExpanded(true);
        turns.tree().notifyListeners(org.eclipse.swt.SWT.Expand, expandEvent(item));
        waitFor("narrative", () -> item.getItemCount() > 1, 20_000);
        List<String> kinds = java.util.Arrays.stream(item.getItems()).map(i -> i.getText(0)).toList();
        assertEquals("user", kinds.get(0));
        assertTrue(kinds.contains("tool call"), kinds.toString());
        assertEquals("final answer", kinds.get(kinds.size() - 1), kinds.toString());
    }

    private static org.eclipse.swt.widgets.Event expandEvent(TreeItem item) {
        org.eclipse.swt.widgets.Event e = new org.eclipse.swt.widgets.Event();
        e.item = item;
        return e;
    }

    @Test
    void callDetailShowsConversationAndMaskedRawRequest() throws Exception {
        CallListView calls = loaded(CallListView.ID);
        CallDetailView detail = show(CallDetailView.ID);
        detail.showCall(CaptureContext.get().captureId(), calls.table().row(0).id());
        waitFor("call detail", () -> detail.conversationTree().getItemCount() > 0, 20_000);
        List<String> sections = java.util.Arrays.stream(detail.conversationTree().getItems()).map(i -> i.getText(0))
                .toList();
        assertTrue(sections.get(0).startsWith("Call #"), sections.toString());
        assertTrue(sections.stream().anyMatch(s -> s.startsWith("Messages")), sections.toString());
        assertTrue(detail.requestText().startsWith("POST /v1/messages?beta=true HTTP/1.1"), detail.requestText());
        assertFalse(detail.requestText().contains("sk-ant-api03-corpus-dummy-key"), "API key must be masked");
    }

    @Test
    void exchangesSessionsHealthAndSummaryViews() throws Exception {
        ExchangeListView ex = loaded(ExchangeListView.ID);
        assertEquals(4, ex.table().table().getItemCount());
        SessionListView sessions = loaded(SessionListView.ID);
        assertEquals(1, sessions.table().table().getItemCount());
        HealthView health = loaded(HealthView.ID);
        boolean total = false;
        for (int i = 0; i < health.table().table().getItemCount(); i++) {
            var e = health.table().row(i);
            if (e.getKey().equals("packets.total")) {
                total = e.getValue() == 109;
            }
        }
        assertTrue(total, "packets.total = 109");
        SummaryView summary = loaded(SummaryView.ID);
        assertTrue(summary.text().contains("claude-opus"), summary.text());
        assertTrue(summary.text().contains("claude-code"), summary.text());
        // turns and sessions per agent kind, counted in the database
        assertTrue(summary.text().matches("(?s).*claude-code\\s+1 turns\\s+1 sessions.*"), summary.text());
    }

    @Test
    void exportingTheTurnWritesValidSftJsonl() throws Exception {
        TurnListView turns = loaded(TurnListView.ID);
        AgentTurn turn = (AgentTurn) turns.tree().getItem(0).getData();
        Path out = Files.createTempFile("heron-ui-export", ".jsonl");
        ExportJob job = new ExportJob(captureId, List.of(EntityRef.of(captureId, EntityRef.Kind.TURN, turn.id())),
                "sft-jsonl", out, ExportOptions.DEFAULT);
        job.schedule();
        waitFor("export", () -> job.getResult() != null, 30_000);
        assertTrue(job.getResult().isOK(), job.getResult().toString());
        assertEquals(1, job.result().written());
        List<String> lines = Files.readAllLines(out);
        assertEquals(1, lines.size());
        JsonNode line = new ObjectMapper().readTree(lines.get(0));
        assertTrue(line.get("messages").isArray() && line.get("messages").size() >= 5, lines.get(0));
        assertEquals("assistant", line.get("messages").get(line.get("messages").size() - 1).get("role").asText());
        assertFalse(lines.get(0).contains("sk-ant-api03-corpus-dummy-key"));
        Files.delete(out);
    }

    /**
     * Leaves a screenshot of the workbench on the sample capture (first call selected) in
     * target/screenshots/workbench.png; docs/screenshot.sh copies it into docs/.
     */
    @Test
    void screenshotOfTheWorkbenchOnARealAgentCapture() throws Exception {
        TurnListView turns = loaded(TurnListView.ID);
        CallListView calls = loaded(CallListView.ID);
        heron.ui.UiTestSupport.page().activate(calls);
        calls.table().table().setSelection(0);
        calls.table().table().notifyListeners(org.eclipse.swt.SWT.Selection, new org.eclipse.swt.widgets.Event());
        CallDetailView detail = show(CallDetailView.ID);
        detail.showCall(captureId, calls.table().row(0).id());
        waitFor("call detail", () -> detail.conversationTree().getItemCount() > 0, 20_000);
        heron.ui.UiTestSupport.page().activate(calls);
        var shell = calls.getSite().getShell();
        heron.ui.UiTestSupport.settle(shell.getDisplay(), 500);
        Path png = heron.ui.UiTestSupport.screenshot(shell, "workbench");
        assertTrue(Files.size(png) > 10_000, "screenshot written");
    }

    @Test
    void openingTheSameFileAgainReusesTheImportedCapture() {
        long again = open(testdata("cc-turn-2tools.pcap"));
        assertEquals(captureId, again);
    }

    @Test
    void aGzippedCopyOpensAsTheSameCapture() throws Exception {
        java.nio.file.Path gz = java.nio.file.Files.createTempFile("cc-turn-2tools", ".pcap.gz");
        try (var o = new java.util.zip.GZIPOutputStream(java.nio.file.Files.newOutputStream(gz))) {
            java.nio.file.Files.copy(testdata("cc-turn-2tools.pcap"), o);
        }
        try {
            assertEquals(captureId, open(gz), "inflated into the workspace, then found by its sha256");
        } finally {
            java.nio.file.Files.delete(gz);
        }
    }
}
