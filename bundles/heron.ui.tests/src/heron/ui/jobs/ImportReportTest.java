package heron.ui.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Collections;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import heron.core.capture.CaptureDamage;
import heron.core.model.Capture;
import heron.pipeline.ImportResult;

/** The import dialogs say what was still recovered (plain formatting, no display involved). */
class ImportReportTest {

    private static ImportResult result(long packets, int exchanges, int calls, CaptureDamage damage) {
        Capture c = new Capture(7, "/tmp/x.pcap", "pcap", 1000, "00", List.of(1), packets, 1, 2,
                Capture.ImportStatus.values()[0]);
        return new ImportResult(c, Map.of(), damage, List.of(), Collections.nCopies(exchanges, null),
                Collections.nCopies(calls, null), List.of(), List.of(), List.of(), 0);
    }

    @Test
    void recoveredCountsPacketsExchangesAndCallsWithThousandsSeparators() {
        assertEquals("Recovered 1,234 packets, 12 HTTP exchanges and 3 LLM calls.",
                ImportReport.recovered(new ImportReport.Recovered(1234, 12, 3)));
    }

    @Test
    void recoveredUsesTheSingularForOne() {
        assertEquals("Recovered 1 packet, 1 HTTP exchange and 1 LLM call.",
                ImportReport.recovered(new ImportReport.Recovered(1, 1, 1)));
    }

    @Test
    void recoveredSaysWhenNothingWasRecovered() {
        assertEquals("Nothing could be recovered.", ImportReport.recovered(new ImportReport.Recovered(0, 0, 0)));
    }

    @Test
    void damagedNamesTheDamageAndWhatTheResultStillHolds() {
        CaptureDamage d = new CaptureDamage();
        d.record(40_960, 512, "truncated packet record");
        d.record(90_000, 100, "bad block length");
        assertEquals("x.pcap is damaged: 612 bytes in 2 regions could not be read (first at offset 40,960: "
                + "truncated packet record). Recovered 109 packets, 4 HTTP exchanges and 3 LLM calls.",
                ImportReport.damaged("x.pcap", result(109, 4, 3, d)));
    }

    @Test
    void failedGivesTheErrorAndThePartialCounts() {
        assertEquals("Importing x.pcap failed: disk full. Recovered 50 packets, 2 HTTP exchanges and 0 LLM calls.",
                ImportReport.failed("x.pcap", "disk full", new ImportReport.Recovered(50, 2, 0)));
    }
}
