package heron.decoders;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.Test;

import heron.core.decode.DecodeResult;
import heron.core.decode.WireApiDecoderRegistry;
import heron.core.health.PipelineHealth;
import heron.core.model.HttpExchange;
import heron.net.NetOptions;
import heron.testing.Captures;
import heron.testing.Corpus;

/**
 * Decoder output must not change when the decoders' internals do (issue #6 rewrote them for
 * speed): every exchange of every capture is decoded and a full dump of the result (every
 * LlmCall field, lists deeply, via the records' toString) is compared with one recorded from the
 * tree-walking decoders of session 2. Dumps of testdata/ are kept whole in golden/ so a change
 * shows as a readable diff; the shared corpus is compared by one SHA-256 per exchange
 * (golden/corpus/). The built-in decoders are registered by hand with plugin.xml's priorities, so
 * the dump does not depend on which other decoders a runtime contributes. Re-record (only when a
 * change of output is intended) with {@link #main}.
 */
class DecoderGoldenTest {

    /** One line per exchange, in id order: id, label, and the whole decoded call (or "-"). */
    static List<String> dump(Path capture) throws IOException {
        PipelineHealth health = new PipelineHealth();
        List<HttpExchange> exchanges = Captures.exchanges(BuiltIns.sources(), capture, NetOptions.defaults(), health);
        WireApiDecoderRegistry reg = BuiltIns.decoders();
        List<String> out = new ArrayList<>(exchanges.size());
        for (HttpExchange ex : exchanges) {
            DecodeResult r = reg.decode(ex, health);
            String call = r.call() == null ? "-" : r.call().toString();
            out.add(escape("#" + ex.id() + " label=" + r.exchange().label() + " " + call));
        }
        return out;
    }

    private static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r");
    }

    static String sha256(String line) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(line.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String name(Path root, Path capture) {
        return root.relativize(capture).toString().replace('/', '_');
    }

    static Path goldenDir() {
        String root = System.getProperty("heron.root");
        assertTrue(root != null, "system property heron.root not set");
        return Path.of(root, "bundles", "heron.decoders.tests", "golden");
    }

    @Test
    void testdataDecodesExactlyAsRecorded() throws IOException {
        Path root = Corpus.testdata();
        List<Path> caps = Corpus.capturesBelow(root);
        assertTrue(caps.size() >= 10, "testdata captures: " + caps);
        List<String> diffs = new ArrayList<>();
        int lines = 0;
        for (Path cap : caps) {
            Path golden = goldenDir().resolve(name(root, cap) + ".txt");
            assertTrue(Files.exists(golden), "no recorded dump for " + cap + " (" + golden + ")");
            List<String> want = Files.readAllLines(golden, StandardCharsets.UTF_8);
            List<String> got = dump(cap);
            lines += got.size();
            diff(name(root, cap), want, got, diffs);
        }
        assertTrue(lines > 20, "exchanges compared: " + lines);
        assertTrue(diffs.isEmpty(), () -> String.join("\n", diffs));
    }

    @Test
    void corpusDecodesExactlyAsRecorded() throws IOException {
        Path root = Corpus.shared();
        List<String> diffs = new ArrayList<>();
        int compared = 0;
        for (Path cap : Corpus.capturesBelow(root)) {
            Path golden = goldenDir().resolve("corpus").resolve(name(root, cap) + ".sha256");
            if (!Files.exists(golden)) {
                continue; // a capture added to the corpus after recording
            }
            List<String> want = Files.readAllLines(golden, StandardCharsets.UTF_8);
            List<String> got = dump(cap).stream().map(DecoderGoldenTest::sha256).toList();
            compared++;
            diff(name(root, cap), want, got, diffs);
        }
        assertTrue(compared > 10, "corpus captures compared: " + compared);
        assertTrue(diffs.isEmpty(), () -> String.join("\n", diffs));
    }

    private static void diff(String name, List<String> want, List<String> got, List<String> diffs) {
        if (want.size() != got.size()) {
            diffs.add(name + ": " + got.size() + " exchanges, recorded " + want.size());
        }
        for (int i = 0; i < Math.min(want.size(), got.size()); i++) {
            if (!want.get(i).equals(got.get(i))) {
                diffs.add(name + " line " + (i + 1) + ":\n  recorded " + want.get(i) + "\n  now      " + got.get(i));
            }
        }
    }

    @Test
    void dumpsEveryFieldOfACall() throws IOException {
        // The comparison is only as strong as the dump: it must show nested lists and late fields.
        List<String> lines = dump(Corpus.testdata("cc-turn-2tools.pcap"));
        String all = String.join("\n", lines);
        for (String field : List.of("toolsOffered=[ToolDefinition[", "parametersJson={", "messages=[Message[",
                "toolCalls=[ToolCall[", "argumentsJson=", "systemPrompt=", "usage=TokenUsage[", "serverKind=",
                "firstContentNanos=", "decodeError=", "toolResults=[ToolResult[")) {
            assertTrue(all.contains(field), "dump lacks " + field);
        }
        assertEquals(lines.size(), lines.stream().distinct().count(), "one line per exchange");
    }

    /**
     * Records dumps: {@code main(testdataDir, corpusDir, goldenDir)}; or, for a big capture,
     * {@code main("hash", capture, outFile)} writes one SHA-256 per exchange and
     * {@code main("check", capture, file)} compares with such a file.
     */
    public static void main(String[] args) throws IOException {
        if (args[0].equals("hash") || args[0].equals("check")) {
            List<String> got = dump(Path.of(args[1])).stream().map(DecoderGoldenTest::sha256).toList();
            if (args[0].equals("hash")) {
                Files.write(Path.of(args[2]), got, StandardCharsets.UTF_8);
                System.out.println(got.size() + " exchanges hashed");
            } else {
                List<String> diffs = new ArrayList<>();
                diff(args[1], Files.readAllLines(Path.of(args[2])), got, diffs);
                System.out.println(got.size() + " exchanges, " + diffs.size() + " differences");
                diffs.stream().limit(20).forEach(System.out::println);
            }
            System.out.println("fast paths: " + heron.decoders.internal.JsonStream.FAST + " bodies, "
                    + heron.decoders.internal.JsonStream.FELL_BACK + " fell back to the tree walk");
            return;
        }
        Path testdata = Path.of(args[0]);
        Path corpus = Path.of(args[1]);
        Path golden = Path.of(args[2]);
        Files.createDirectories(golden.resolve("corpus"));
        for (Path cap : Corpus.capturesBelow(testdata)) {
            Files.write(golden.resolve(name(testdata, cap) + ".txt"), dump(cap), StandardCharsets.UTF_8);
        }
        if (Files.isDirectory(corpus)) {
            for (Path cap : Corpus.capturesBelow(corpus)) {
                Files.write(golden.resolve("corpus").resolve(name(corpus, cap) + ".sha256"),
                        dump(cap).stream().map(DecoderGoldenTest::sha256).toList(), StandardCharsets.UTF_8);
            }
        }
        System.out.println("fast paths: " + heron.decoders.internal.JsonStream.FAST + " bodies, "
                + heron.decoders.internal.JsonStream.FELL_BACK + " fell back to the tree walk");
    }
}
