package heron.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.eclipse.core.runtime.NullProgressMonitor;
import org.eclipse.core.runtime.OperationCanceledException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import heron.core.export.ExportOptions;
import heron.core.export.ExportResult;
import heron.core.export.Exporter;
import heron.core.model.AgentTurn;
import heron.core.model.EntityRef;
import heron.core.model.HttpExchange;
import heron.core.model.LlmCall;
import heron.core.registry.Contribution;
import heron.export.csv.CsvExporter;
import heron.export.har.HarExporter;
import heron.export.sft.SftJsonlExporter;
import heron.export.support.Fixtures;

class ExportServiceTest {
    @TempDir
    Path dir;

    private static SimpleExportInput turns(int n) {
        List<LlmCall> all = new ArrayList<>();
        List<AgentTurn> ts = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            List<LlmCall> cs = Fixtures.turnCalls("anthropic", 1000L * (i + 1), "claude-cli", "s", null);
            all.addAll(cs);
            ts.add(Fixtures.turn(cs, "s", "claude-cli", AgentTurn.Status.COMPLETE));
        }
        return SimpleExportInput.builder().knownCalls(all, null).selectTurns(ts).build();
    }

    @Test
    void platformRegistryListsTheThreeExportersWithExtensionsAndAcceptedKinds() {
        ExportService service = ExportService.fromPlatform();
        Contribution<Exporter> sft = service.registry().byId(SftJsonlExporter.ID).orElseThrow();
        assertTrue(sft.get() instanceof SftJsonlExporter);
        assertEquals("jsonl", service.fileExtension(SftJsonlExporter.ID));
        assertEquals("har", service.fileExtension(HarExporter.ID));
        assertEquals("csv", service.fileExtension(CsvExporter.ID));
        assertEquals(List.of("sft-jsonl", "csv"),
                service.exportersFor(EntityRef.Kind.TURN).stream().map(Contribution::id).toList());
        assertEquals(List.of("har"), service.exportersFor(EntityRef.Kind.EXCHANGE).stream().map(Contribution::id)
                .toList());
        assertEquals(List.of("har", "csv"),
                service.exportersFor(EntityRef.Kind.CALL).stream().map(Contribution::id).toList());
    }

    @Test
    void exportWritesTheFileThroughTheRegistry() throws IOException {
        Path target = dir.resolve("out/trajectories.jsonl");
        ExportResult r = ExportService.fromPlatform().export(SftJsonlExporter.ID, turns(3), ExportOptions.DEFAULT,
                target, new NullProgressMonitor());
        assertEquals(3, r.written());
        assertEquals(3, Files.readAllLines(target).size());
        try (var files = Files.list(target.getParent())) {
            assertEquals(1, files.count(), "no temporary file left behind");
        }
    }

    @Test
    void cancelledExportLeavesNoFileAndKeepsAnExistingOne() throws IOException {
        NullProgressMonitor m = new NullProgressMonitor();
        m.setCanceled(true);
        Path fresh = dir.resolve("fresh.jsonl");
        assertThrows(OperationCanceledException.class,
                () -> ExportService.export(new SftJsonlExporter(), turns(100), ExportOptions.DEFAULT, fresh, m));
        assertFalse(Files.exists(fresh));
        Path existing = dir.resolve("existing.jsonl");
        Files.writeString(existing, "old\n");
        assertThrows(OperationCanceledException.class,
                () -> ExportService.export(new SftJsonlExporter(), turns(100), ExportOptions.DEFAULT, existing, m));
        assertEquals("old\n", Files.readString(existing));
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "only the existing file; no .part left");
        }
    }

    @Test
    void everyExporterHonoursCancellation() {
        SimpleExportInput.Builder b = SimpleExportInput.builder();
        List<LlmCall> calls = new ArrayList<>();
        List<HttpExchange> xs = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            List<LlmCall> cs = Fixtures.turnCalls("openai-chat", 1000L * (i + 1), "opencode", "s", null);
            calls.addAll(cs);
            xs.add(Fixtures.exchange(1000L * (i + 1), "POST", "/v1/chat/completions", List.of(), null, 200, List.of(),
                    null));
        }
        SimpleExportInput callsIn = b.selectCalls(calls).selectExchanges(xs).build();
        SimpleExportInput turnsIn = turns(100);
        NullProgressMonitor m = new NullProgressMonitor();
        m.setCanceled(true);
        record Case(Exporter exporter, SimpleExportInput input, ExportOptions options) {
        }
        for (Case c : List.of(new Case(new SftJsonlExporter(), turnsIn, ExportOptions.DEFAULT),
                new Case(new HarExporter(), callsIn, new ExportOptions("call", true, false)),
                new Case(new CsvExporter(), callsIn, new ExportOptions("call", true, false)))) {
            String name = c.exporter().getClass().getSimpleName();
            Path target = dir.resolve(name);
            assertThrows(OperationCanceledException.class,
                    () -> ExportService.export(c.exporter(), c.input(), c.options(), target, m), name);
            assertFalse(Files.exists(target), name);
        }
    }

    @Test
    void failingExporterLeavesNoPartialFile() {
        Exporter broken = (in, o, out, mon) -> {
            out.write("{\"half\":".getBytes());
            throw new IOException("disk full");
        };
        Path target = dir.resolve("broken.jsonl");
        IOException e = assertThrows(IOException.class,
                () -> ExportService.export(broken, turns(1), ExportOptions.DEFAULT, target, new NullProgressMonitor()));
        assertEquals("disk full", e.getMessage());
        assertFalse(Files.exists(target));
    }

    @Test
    void unknownExporterIdIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ExportService.fromPlatform().export("nope", turns(1), ExportOptions.DEFAULT, dir.resolve("x"),
                        new NullProgressMonitor()));
        assertTrue(e.getMessage().contains("nope"));
    }
}
