package heron.core;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * Core bundles never touch the UI: no bundle outside heron.ui* may require or import SWT, JFace
 * or the workbench UI bundles, in its manifest or its sources. Scans the checkout, so it covers every
 * bundle and example, not just those in this test's runtime.
 */
class UiIsolationTest {
    private static final Pattern UI = Pattern.compile("org\\.eclipse\\.(swt|jface|ui)\\b");

    @Test
    void noBundleOutsideHeronUiReferencesSwtJfaceOrWorkbench() throws IOException {
        Path root = Path.of(System.getProperty("heron.root", "../.."));
        assertTrue(Files.isDirectory(root.resolve("bundles")), "checkout not found at " + root.toAbsolutePath());
        List<String> hits = new ArrayList<>();
        List<Path> bundleDirs = new ArrayList<>();
        for (String parent : List.of("bundles", "examples")) {
            Path p = root.resolve(parent);
            if (Files.isDirectory(p)) {
                try (Stream<Path> s = Files.list(p)) {
                    s.filter(Files::isDirectory).forEach(bundleDirs::add);
                }
            }
        }
        int scanned = 0;
        for (Path b : bundleDirs) {
            String name = b.getFileName().toString();
            if (name.startsWith("heron.ui")) {
                continue;
            }
            scanned++;
            try (Stream<Path> files = Files.walk(b)) {
                for (Path f : files.filter(f -> f.toString().endsWith(".java") || f.endsWith("MANIFEST.MF"))
                        .filter(f -> !f.toString().contains("/target/")).toList()) {
                    List<String> lines = Files.readAllLines(f);
                    for (int i = 0; i < lines.size(); i++) {
                        String line = lines.get(i);
                        if (UI.matcher(line).find() && !line.contains("UI-ISOLATION-OK")) {
                            hits.add(root.relativize(f) + ":" + (i + 1) + ": " + line.trim());
                        }
                    }
                }
            }
        }
        assertTrue(scanned >= 2, "scanned too few bundles: " + scanned);
        assertTrue(hits.isEmpty(), "UI namespaces outside heron.ui*:\n" + String.join("\n", hits));
    }
}
