package heron.export.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.eclipse.core.runtime.NullProgressMonitor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import heron.core.export.ExportInput;
import heron.core.export.ExportOptions;
import heron.core.export.ExportResult;
import heron.core.export.Exporter;

/** Runs an exporter into memory and parses what it wrote. */
public final class Io {
    public static final ObjectMapper MAPPER = new ObjectMapper();

    private Io() {
    }

    public record Output(ExportResult result, String text) {
        public List<JsonNode> lines() {
            List<JsonNode> out = new ArrayList<>();
            for (String l : text.split("\n")) {
                if (!l.isEmpty()) {
                    try {
                        out.add(MAPPER.readTree(l));
                    } catch (IOException e) {
                        throw new UncheckedIOException("line is not JSON: " + l, e);
                    }
                }
            }
            return out;
        }

        public JsonNode json() {
            try {
                return MAPPER.readTree(text);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    public static Output run(Exporter e, ExportInput in, ExportOptions o) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ExportResult r = e.export(in, o, out, new NullProgressMonitor());
            return new Output(r, out.toString(StandardCharsets.UTF_8));
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** The SFT line schema from docs/, found through the heron.root system property. */
    public static MiniJsonSchema sftSchema() {
        String root = System.getProperty("heron.root", ".");
        Path p = Path.of(root, "docs", "sft-jsonl.schema.json");
        try {
            return new MiniJsonSchema(MAPPER.readTree(Files.readString(p)));
        } catch (IOException ex) {
            throw new UncheckedIOException("cannot read the schema at " + p, ex);
        }
    }
}
