package heron.pipeline;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HexFormat;
import java.util.Locale;
import java.util.zip.GZIPInputStream;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.OperationCanceledException;
import org.eclipse.core.runtime.SubMonitor;

/**
 * Gzip-compressed captures ({@code capture.pcap.gz}, {@code capture.pcapng.gz}, as tcpdump's
 * rotation and many archives write them). Capture sources memory-map their file and packet views
 * read bytes back at file offsets, so a compressed capture is inflated once into a cache folder
 * (the workspace's {@code captures/}, or beside the headless database) and the inflated file is
 * what gets imported. The same .gz (path, size, modification time) reuses its inflated copy, so
 * opening it again finds the already imported capture by its sha256.
 */
public final class CompressedCaptures {
    private static final int GZIP_MAGIC_0 = 0x1f;
    private static final int GZIP_MAGIC_1 = 0x8b;

    private CompressedCaptures() {
    }

    /** True if the file starts with the gzip magic bytes (whatever its name). */
    public static boolean isGzip(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return in.read() == GZIP_MAGIC_0 && in.read() == GZIP_MAGIC_1;
        }
    }

    /**
     * The file to import for {@code file}: the file itself unless it is gzip-compressed, else its
     * inflated copy in {@code cacheDir} (made now, or reused from an earlier open of the same .gz).
     * A cancelled or failed inflation leaves no partial file behind.
     *
     * @throws IOException if the file cannot be read, is not a complete gzip stream, or the copy
     *             cannot be written (e.g. the disk is full)
     */
    public static Path importable(Path file, Path cacheDir, IProgressMonitor monitor) throws IOException {
        if (!isGzip(file)) {
            return file;
        }
        Files.createDirectories(cacheDir);
        Path target = cacheDir.resolve(inflatedName(file));
        if (Files.isRegularFile(target)) {
            return target;
        }
        long total = Math.max(1, Files.size(file));
        SubMonitor sub = SubMonitor.convert(monitor, "Decompressing " + file.getFileName(), 1000);
        Path partial = Files.createTempFile(cacheDir, ".inflating-", ".part");
        boolean done = false;
        try (CountingInput counted = new CountingInput(Files.newInputStream(file));
                InputStream in = new GZIPInputStream(counted, 1 << 16);
                OutputStream out = Files.newOutputStream(partial)) {
            byte[] buf = new byte[1 << 16];
            int reported = 0;
            for (int n; (n = in.read(buf)) > 0;) {
                out.write(buf, 0, n);
                int now = (int) Math.min(1000, counted.count * 1000 / total);
                if (now > reported) {
                    sub.worked(now - reported);
                    reported = now;
                }
                if (sub.isCanceled()) {
                    throw new OperationCanceledException();
                }
            }
            done = true;
        } catch (java.io.EOFException e) {
            throw new IOException(file.getFileName() + " is a truncated gzip file (" + e.getMessage()
                    + "); decompress what is readable with `zcat` and open the result", e);
        } catch (java.util.zip.ZipException e) {
            throw new IOException(file.getFileName() + " is not a valid gzip file: " + e.getMessage(), e);
        } finally {
            if (!done) {
                Files.deleteIfExists(partial);
            }
        }
        Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return target;
    }

    /**
     * {@code name.pcap.gz} becomes {@code name-<key>.pcap}; the key tells apart different files of
     * the same name (absolute path, size and modification time of the .gz).
     */
    static String inflatedName(Path gz) throws IOException {
        String name = gz.getFileName().toString();
        String lower = name.toLowerCase(Locale.ROOT);
        String base = lower.endsWith(".gz") ? name.substring(0, name.length() - 3) : name;
        String identity = gz.toAbsolutePath().normalize() + "|" + Files.size(gz) + "|"
                + Files.getLastModifiedTime(gz).toMillis();
        String key = HexFormat.of().formatHex(sha256(identity)).substring(0, 10);
        int dot = base.lastIndexOf('.');
        return dot > 0 ? base.substring(0, dot) + "-" + key + base.substring(dot) : base + "-" + key;
    }

    private static byte[] sha256(String s) {
        try {
            return java.security.MessageDigest.getInstance("SHA-256")
                    .digest(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Counts compressed bytes consumed, for progress by position in the .gz file. */
    private static final class CountingInput extends java.io.FilterInputStream {
        long count;

        CountingInput(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }
    }
}
