package heron.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import heron.core.model.Capture;
import heron.net.NetOptions;
import heron.pipeline.CaptureImporter;
import heron.pipeline.StoreImportSink;
import heron.store.HeronStore;
import heron.store.schema.CaptureTables;
import heron.testing.Corpus;

/**
 * A database written by {@code heron analyze --db} (rows packed, expanded at the first query, ADR
 * 0007) reads back, for the workbench, exactly as the workbench's own import of the same capture
 * (rows inserted as they come, agent columns updated at the end).
 */
class AnalyzeDatabaseTest {
    static Stream<Path> testdataCaptures() throws IOException {
        return Corpus.captures(Corpus.testdata()).stream();
    }

    /** Every row of each entity table, without capture_id, in key order. */
    private static List<List<Object>> rows(HeronStore store, long captureId) throws Exception {
        List<List<Object>> out = new ArrayList<>();
        for (String base : CaptureTables.BASES) {
            try (Connection c = store.connect(); Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT * FROM " + store.table(base, captureId) + " ORDER BY "
                            + (base.equals("health_counter") ? "name" : "id"))) {
                ResultSetMetaData md = rs.getMetaData();
                while (rs.next()) {
                    List<Object> row = new ArrayList<>();
                    row.add(base);
                    for (int k = 1; k <= md.getColumnCount(); k++) {
                        if (!"CAPTURE_ID".equals(md.getColumnName(k))) {
                            row.add(rs.getObject(k));
                        }
                    }
                    out.add(row);
                }
            }
        }
        return out;
    }

    @ParameterizedTest
    @MethodSource("testdataCaptures")
    void analyzeDatabaseReadsBackAsTheWorkbenchsImport(Path capture, @TempDir Path tmp) throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Path db = tmp.resolve("analyze");
        int rc = new HeronCommand(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8))
                .run(new String[] { "analyze", "--db", db.toString(), capture.toString() });
        assertTrue(rc == 0 || rc == 3, err.toString(StandardCharsets.UTF_8));

        List<List<Object>> workbench;
        try (HeronStore store = HeronStore.open(tmp.resolve("workbench"))) {
            long id;
            try (StoreImportSink sink = new StoreImportSink(store)) {
                CaptureImporter.fromPlatform(NetOptions.defaults().withWorkers(2)).importFile(capture, sink, null);
                id = sink.captureId();
            }
            workbench = rows(store, id);
        }
        try (HeronStore store = HeronStore.open(db)) {
            Capture c = store.captures().list().get(0);
            List<List<Object>> analyzed = rows(store, c.id());
            assertTrue(analyzed.stream().anyMatch(r -> r.get(0).equals("http_exchange")), capture.toString());
            assertEquals(workbench, analyzed, capture.toString());
        }
    }
}
