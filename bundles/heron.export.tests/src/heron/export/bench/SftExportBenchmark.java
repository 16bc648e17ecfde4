package heron.export.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

import org.eclipse.core.runtime.NullProgressMonitor;

import heron.core.export.ExportOptions;
import heron.core.export.ExportResult;
import heron.core.model.AgentTurn;
import heron.core.model.LlmCall;
import heron.export.SimpleExportInput;
import heron.export.csv.CsvExporter;
import heron.export.sft.SftJsonlExporter;
import heron.export.support.Fixtures;

/**
 * Export throughput: turns per second for synthetic turns (3 calls each, growing history, tools
 * offered, in all four wire APIs' normalised form). Not run by the build; run its main with the
 * bundle classes, Jackson and org.eclipse.equinox.common on the class path. Args: [turns] [rounds].
 */
public final class SftExportBenchmark {
    private SftExportBenchmark() {
    }

    /** Counts bytes and drops them, so the numbers measure the exporter, not the disk. */
    private static final class CountingSink extends OutputStream {
        long bytes;

        @Override
        public void write(int b) {
            bytes++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            bytes += len;
        }
    }

    public static void main(String[] args) throws IOException {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        List<LlmCall> calls = new ArrayList<>(n * 3);
        List<AgentTurn> turns = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String wire = Fixtures.WIRE_APIS.get(i % 4);
            List<LlmCall> cs = Fixtures.turnCalls(wire, 1000L * (i + 1), "agent", "s" + (i / 10), null);
            calls.addAll(cs);
            turns.add(Fixtures.turn(cs, "s" + (i / 10), "agent", AgentTurn.Status.COMPLETE));
        }
        SimpleExportInput in = SimpleExportInput.builder().knownCalls(calls, Fixtures.CAPTURE).selectTurns(turns)
                .build();
        CountingSink probe = new CountingSink();
        new SftJsonlExporter().export(in, ExportOptions.DEFAULT, probe, new NullProgressMonitor());
        System.out.printf("%d turns, %d calls, SFT output %.1f MB%n", n, calls.size(), probe.bytes / 1e6);
        Job unmasked = () -> new SftJsonlExporter().export(in, new ExportOptions("turn", false, false),
                new CountingSink(), new NullProgressMonitor());
        Job masked = () -> new SftJsonlExporter().export(in, ExportOptions.DEFAULT, new CountingSink(),
                new NullProgressMonitor());
        Job csv = () -> new CsvExporter().export(in, ExportOptions.DEFAULT, new CountingSink(),
                new NullProgressMonitor());
        // Warm every job before timing any: the first timed job otherwise pays for JIT and for the
        // garbage of building the input.
        for (int w = 0; w < 3; w++) {
            unmasked.run();
            masked.run();
            csv.run();
        }
        run("sft-jsonl masked", n, rounds, masked);
        run("sft-jsonl unmasked", n, rounds, unmasked);
        run("csv turns", n, rounds, csv);
    }

    private interface Job {
        ExportResult run() throws IOException;
    }

    private static void run(String name, int n, int rounds, Job job) throws IOException {
        long best = Long.MAX_VALUE;
        ExportResult last = null;
        for (int r = 0; r < rounds; r++) {
            long t0 = System.nanoTime();
            last = job.run();
            best = Math.min(best, System.nanoTime() - t0);
        }
        System.out.printf("%-20s %d turns: best %.1f ms, %.0f turns/s (%s)%n", name, n, best / 1e6,
                n / (best / 1e9), last);
    }
}
