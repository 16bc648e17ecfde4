package heron.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;

/**
 * Where the test captures are, and how tests walk them. Two folders, named by system properties
 * the parent pom passes to every test run:
 * <ul>
 * <li>{@code heron.testdata}: the checkout's own small captures ({@code testdata/}). Always there,
 * so a test over them fails when it is missing, never skips.</li>
 * <li>{@code heron.corpus}: the shared corpus beside the checkout, absent in a fresh clone. A
 * test over it calls {@link #shared()} first, which skips the test with one message when the
 * folder is absent.</li>
 * </ul>
 * A capture is a {@code .pcap} or {@code .pcapng} file; its truth, when it has one, is the
 * {@code <name>.truth.json} beside it.
 */
public final class Corpus {
    /** System property naming the checkout's testdata folder. */
    public static final String TESTDATA_PROPERTY = "heron.testdata";
    /** System property naming the shared corpus folder. */
    public static final String CORPUS_PROPERTY = "heron.corpus";
    /** The heron-synth fixtures' sub-folder of the shared corpus. */
    public static final String HERON_SYNTH = "heron-synth";

    private Corpus() {
    }

    /**
     * The checkout's testdata folder; without the property, {@code ../../testdata} (the checkout's
     * folder seen from a test fragment, where Tycho runs its tests).
     *
     * @throws AssertionError when the folder is missing
     */
    public static Path testdata() {
        String dir = System.getProperty(TESTDATA_PROPERTY);
        Path p = dir != null ? Path.of(dir) : Path.of("../../testdata");
        assertTrue(Files.isDirectory(p), "testdata folder missing: " + p.toAbsolutePath());
        return p;
    }

    /**
     * A file of the testdata folder.
     *
     * @throws AssertionError when it is missing
     */
    public static Path testdata(String file) {
        Path p = testdata().resolve(file);
        assertTrue(Files.exists(p), "missing test capture " + p);
        return p;
    }

    /**
     * The shared corpus folder. When it is absent the calling test is skipped (a JUnit assumption)
     * with one message naming the property and its value.
     */
    public static Path shared() {
        String dir = System.getProperty(CORPUS_PROPERTY);
        Assumptions.assumeTrue(dir != null && Files.isDirectory(Path.of(dir)),
                () -> "Shared corpus not found (system property " + CORPUS_PROPERTY + " = " + dir + "): skipped");
        return Path.of(dir);
    }

    /** A file of the shared corpus; the test is skipped when the corpus or the file is absent. */
    public static Path shared(String file) {
        Path p = shared().resolve(file);
        Assumptions.assumeTrue(Files.exists(p), () -> p + " not in the shared corpus: skipped");
        return p;
    }

    /** The heron-synth fixtures of the shared corpus; the test is skipped when they are absent. */
    public static Path heronSynth() {
        Path dir = shared().resolve(HERON_SYNTH);
        Assumptions.assumeTrue(Files.isDirectory(dir), "heron-synth fixtures not present: skipped");
        return dir;
    }

    /** Whether a file name is that of a capture ({@code .pcap} or {@code .pcapng}). */
    public static boolean isCapture(Path file) {
        String n = file.toString();
        return n.endsWith(".pcap") || n.endsWith(".pcapng");
    }

    /** The captures directly in {@code dir}, sorted by path. */
    public static List<Path> captures(Path dir) throws IOException {
        return list(dir, Corpus::isCapture);
    }

    /** The captures in {@code dir} and its sub-folders (heron-synth/ ...), sorted by path. */
    public static List<Path> capturesBelow(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Corpus::isCapture).sorted().toList();
        }
    }

    /** The captures directly in {@code dir} that have a truth file, sorted by path. */
    public static List<Path> capturesWithTruth(Path dir) throws IOException {
        return list(dir, p -> isCapture(p) && Files.exists(truthOf(p)));
    }

    /** The truth files ({@code *.truth.json}) directly in {@code dir}, sorted by path. */
    public static List<Path> truthFiles(Path dir) throws IOException {
        return list(dir, p -> p.getFileName().toString().endsWith(".truth.json"));
    }

    /** The files directly in {@code dir} whose names end with {@code suffix}, sorted by path. */
    public static List<Path> filesEndingWith(Path dir, String suffix) throws IOException {
        return list(dir, p -> p.getFileName().toString().endsWith(suffix));
    }

    /** A capture's name without its extension: {@code cc-turn-2tools} for {@code cc-turn-2tools.pcap}. */
    public static String baseName(Path capture) {
        String n = capture.getFileName().toString();
        return n.substring(0, n.lastIndexOf('.'));
    }

    /** Where a capture's truth file is (whether or not it exists). */
    public static Path truthOf(Path capture) {
        return capture.resolveSibling(baseName(capture) + ".truth.json");
    }

    private static List<Path> list(Path dir, Predicate<Path> filter) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(filter).sorted().toList();
        }
    }
}
