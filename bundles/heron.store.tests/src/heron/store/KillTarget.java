package heron.store;

import java.nio.file.Path;

import heron.core.model.PacketRecord;

/**
 * Runs in a separate JVM for {@link KilledImportRecoveryTest}: begins an import and keeps writing
 * until it is killed. Prints "ID n" once the capture exists and "ROWS n" after each flush.
 */
public final class KillTarget {
    private KillTarget() {
    }

    public static void main(String[] args) {
        HeronStore store = HeronStore.open(Path.of(args[0]));
        StoreWriter w = store.writer();
        long id = w.beginCapture(Fixtures.capture("/killed.pcap", "k"));
        System.out.println("ID " + id);
        System.out.flush();
        long deadline = System.currentTimeMillis() + 120_000;
        for (long i = 1; System.currentTimeMillis() < deadline; i++) {
            w.exchange(Fixtures.exchange(i * 64, 1, i % 3 == 0));
            w.call(Fixtures.call(i * 64, "m", 200, Fixtures.T0 + i, 5));
            w.packet(new PacketRecord(i, Fixtures.T0 + i, 24, 60, 60, 1, 1, null, null));
            if (i % 500 == 0) {
                w.flush();
                System.out.println("ROWS " + w.rowsWritten());
                System.out.flush();
            }
        }
        // Reaching here means nobody killed us; exit without finishing, like a crash.
        Runtime.getRuntime().halt(3);
    }
}
