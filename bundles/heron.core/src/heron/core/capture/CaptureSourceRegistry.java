package heron.core.capture;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import heron.core.registry.Contribution;
import heron.core.registry.RegistryProblems;
import heron.core.registry.RegistryReader;

/** The contributions to {@code heron.core.captureSources}; picks the source for a file by its magic. */
public final class CaptureSourceRegistry extends RegistryReader<CaptureSource> {
    public static final String POINT_ID = "heron.core.captureSources";
    public static final String ELEMENT = "source";

    public CaptureSourceRegistry(List<Contribution<CaptureSource>> contributions, RegistryProblems problems) {
        super(contributions, problems);
    }

    public static CaptureSourceRegistry fromPlatform() {
        RegistryProblems problems = new RegistryProblems();
        return new CaptureSourceRegistry(readPlatform(POINT_ID, ELEMENT, CaptureSource.class, problems), problems);
    }

    /**
     * Opens a capture file with the first source that accepts its first bytes.
     *
     * @throws IOException when the file cannot be read, or no source knows its format (the
     *                     message says which formats are known)
     */
    public PacketStream open(Path file) throws IOException {
        byte[] head = new byte[64];
        int n;
        try (InputStream in = Files.newInputStream(file)) {
            n = in.readNBytes(head, 0, head.length);
        }
        ByteBuffer buf = ByteBuffer.wrap(head, 0, n).asReadOnlyBuffer();
        for (Contribution<CaptureSource> c : working()) {
            if (c.get().accepts(buf.duplicate())) {
                return c.get().open(file);
            }
        }
        StringBuilder known = new StringBuilder();
        for (Contribution<CaptureSource> c : contributions()) {
            known.append(known.length() == 0 ? "" : ", ").append(c.name());
        }
        throw new IOException(file.getFileName() + ": not a capture file Heron can read"
                + (n < 4 ? " (the file is empty or shorter than a file header)" : "") + "; known formats: "
                + (known.length() == 0 ? "none installed" : known));
    }
}
