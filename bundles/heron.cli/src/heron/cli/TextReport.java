package heron.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

import heron.core.health.PipelineHealth;
import heron.core.model.AgentTurn;
import heron.core.model.Capture;
import heron.pipeline.CallSummary;
import heron.pipeline.ImportResult;

/** The human summary of `heron analyze`, in the spirit of `tshark -z` statistics. */
final class TextReport {
    private TextReport() {
    }

    /** The summary without its last line ({@link #throughput}), which needs the run's time. */
    static void write(List<ImportResult> results, Map<String, Long> health, PrintStream out) {
        List<CallSummary> calls = new ArrayList<>();
        List<AgentTurn> turns = new ArrayList<>();
        int exchanges = 0;
        int sessions = 0;
        for (ImportResult r : results) {
            Capture c = r.capture();
            calls.addAll(r.calls());
            turns.addAll(r.turns());
            exchanges += r.exchanges().size();
            sessions += r.sessions().size();
            out.printf("Capture %s%n", c.path());
            out.printf("  %s, %,d bytes, %,d packets, %.3f s (%s .. %s)%n", c.format(), c.sizeBytes(),
                    c.packetCount(), (c.lastNanos() - c.firstNanos()) / 1e9, JsonReport.ts(c.firstNanos()),
                    JsonReport.ts(c.lastNanos()));
            out.printf("  sha256 %s, import %s%n", c.sha256(), c.status().name().toLowerCase(java.util.Locale.ROOT));
            if (r.damaged()) {
                out.printf("  DAMAGED: %s%n", r.damage());
            }
        }
        out.println();
        out.println("Pipeline health");
        health.forEach((k, v) -> out.printf("  %-32s %,12d  %s%n", k, v, PipelineHealth.describe(k)));
        out.println();
        out.printf("HTTP exchanges: %,d (%,d LLM calls, %,d other)%n", exchanges, calls.size(), exchanges - calls.size());
        if (!calls.isEmpty()) {
            out.println();
            out.println("LLM calls by wire API / model / status");
            callsByApiModelStatus(calls).forEach((k, v) -> out.printf("  %s %,8d%n", k, v));
            long in = 0;
            long outTok = 0;
            long cr = 0;
            long cw = 0;
            for (CallSummary c : calls) {
                in += c.usage().inputOrZero();
                outTok += c.usage().outputOrZero();
                cr += c.usage().cacheReadOrZero();
                cw += c.usage().cacheWriteOrZero();
            }
            out.printf("  tokens: input %,d, output %,d, cache read %,d, cache write %,d%n", in, outTok, cr, cw);
            out.println();
            out.println("Latency (ms)          n       p50       p95       p99       max");
            latency(out, "TTFT", calls, CallSummary::ttftMs);
            latency(out, "E2E", calls, CallSummary::e2eMs);
            latency(out, "TPOT", calls, CallSummary::tpotMs);
        }
        out.println();
        long complete = turns.stream().filter(t -> t.status() == AgentTurn.Status.COMPLETE).count();
        out.printf("Agent turns: %,d (%,d complete, %,d incomplete) in %,d sessions%n", turns.size(), complete,
                turns.size() - complete, sessions);
        countBy(turns, AgentTurn::agentKind).forEach((k, v) -> out.printf("  %-18s %,8d turns%n", k, v));
        out.println();
    }

    /** The summary's last line: bytes and packets analysed, and the rate. */
    static void throughput(List<ImportResult> results, long elapsedNanos, PrintStream out) {
        long bytes = 0;
        long packets = 0;
        for (ImportResult r : results) {
            bytes += r.capture().sizeBytes();
            packets += r.capture().packetCount();
        }
        double secs = elapsedNanos / 1e9;
        out.printf("Analysed %,d bytes, %,d packets in %.3f s (%.1f MB/s, %,.0f packets/s)%n", bytes, packets, secs,
                bytes / 1e6 / Math.max(secs, 1e-9), packets / Math.max(secs, 1e-9));
    }

    private static <T> Map<String, Long> countBy(List<T> items, Function<T, String> key) {
        Map<String, Long> m = new TreeMap<>();
        for (T t : items) {
            m.merge(String.valueOf(key.apply(t)), 1L, Long::sum);
        }
        return m;
    }

    /** The call's wire API, model and status, compared before any formatting. */
    private record ApiModelStatus(String wireApi, String model, int status) {
    }

    /**
     * Calls counted by wire API / model / status. The few distinct keys are counted first and
     * formatted once each: formatting a line per call took seconds on a 135,000-call capture. Keys
     * that format alike are merged, as when each call's line was the key.
     */
    private static Map<String, Long> callsByApiModelStatus(List<CallSummary> calls) {
        Map<ApiModelStatus, Long> counts = new HashMap<>();
        for (CallSummary c : calls) {
            counts.merge(new ApiModelStatus(c.wireApi(), c.model(), c.status()), 1L, Long::sum);
        }
        Map<String, Long> m = new TreeMap<>();
        counts.forEach((k, n) -> m.merge(String.format("%-18s %-36s %5s", k.wireApi(), k.model(),
                k.status() == 0 ? "-" : Integer.toString(k.status())), n, Long::sum));
        return m;
    }

    private static void latency(PrintStream out, String name, List<CallSummary> calls,
            Function<CallSummary, Double> f) {
        double[] v = new double[calls.size()];
        int n = 0;
        for (CallSummary c : calls) {
            Double d = f.apply(c);
            if (d != null) {
                v[n++] = d;
            }
        }
        if (n == 0) {
            out.printf("  %-10s %8d%n", name, 0);
            return;
        }
        // Primitive sort: the same order as sorting the boxed values (Double.compare), without
        // boxing 135,000 values per column.
        double[] sorted = Arrays.copyOf(v, n);
        Arrays.sort(sorted);
        out.printf("  %-10s %8d %9.1f %9.1f %9.1f %9.1f%n", name, n, pct(sorted, 50), pct(sorted, 95),
                pct(sorted, 99), sorted[n - 1]);
    }

    /** Nearest-rank percentile of sorted values. */
    static double pct(double[] sorted, int p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }
}
