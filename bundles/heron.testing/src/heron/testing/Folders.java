package heron.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Scratch folders of benchmarks and dump tools (stores written to a temporary folder). No JUnit here. */
public final class Folders {
    private Folders() {
    }

    /** Deletes a folder and everything in it (files first); what cannot be deleted stays. */
    public static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> w = Files.walk(dir)) {
            w.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** Bytes of the regular files in a folder and its sub-folders. */
    public static long size(Path dir) throws IOException {
        try (Stream<Path> w = Files.walk(dir)) {
            return w.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }
}
