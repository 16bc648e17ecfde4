package heron.ui.jobs;

import java.util.Locale;

import heron.core.capture.CaptureDamage;
import heron.pipeline.ImportResult;

/**
 * The words of the import error and warning dialogs (plain code: tested without a display).
 * Whatever went wrong, the analyst is told what was still recovered, because a damaged capture
 * still yields everything before the damage.
 */
public final class ImportReport {
    private ImportReport() {
    }

    /** What an import got into the workspace database. */
    public record Recovered(long packets, long exchanges, long calls) {
        public static Recovered of(ImportResult r) {
            return new Recovered(r.capture() == null ? 0 : r.capture().packetCount(), r.exchanges().size(),
                    r.calls().size());
        }

        public boolean nothing() {
            return packets == 0 && exchanges == 0 && calls == 0;
        }
    }

    /** "Recovered 1,234 packets, 12 HTTP exchanges and 3 LLM calls." (or that nothing was). */
    public static String recovered(Recovered r) {
        if (r.nothing()) {
            return "Nothing could be recovered.";
        }
        return "Recovered " + count(r.packets(), "packet", "packets") + ", "
                + count(r.exchanges(), "HTTP exchange", "HTTP exchanges") + " and "
                + count(r.calls(), "LLM call", "LLM calls") + ".";
    }

    /** The warning for a capture imported up to (and around) damage in the file. */
    public static String damaged(String fileName, ImportResult r) {
        CaptureDamage d = r.damage();
        StringBuilder s = new StringBuilder(fileName).append(" is damaged: ")
                .append(count(d.skippedBytes(), "byte", "bytes")).append(" in ")
                .append(count(d.skippedBlocks(), "region", "regions")).append(" could not be read");
        if (d.firstReason() != null) {
            s.append(" (first at offset ").append(String.format(Locale.ROOT, "%,d", d.firstOffset())).append(": ")
                    .append(d.firstReason()).append(')');
        }
        return s.append(". ").append(recovered(Recovered.of(r))).toString();
    }

    /** The error for an import that stopped; {@code r} is what reached the database before it did. */
    public static String failed(String fileName, String error, Recovered r) {
        return "Importing " + fileName + " failed: " + error + ". " + recovered(r);
    }

    private static String count(long n, String one, String many) {
        return String.format(Locale.ROOT, "%,d ", n) + (n == 1 ? one : many);
    }
}
