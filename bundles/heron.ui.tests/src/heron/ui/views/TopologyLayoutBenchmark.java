package heron.ui.views;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.eclipse.swt.widgets.Display;
import org.junit.jupiter.api.Test;

import heron.ui.views.topology.bench.TopologyBenchmark;

/**
 * The Topology numbers of docs/performance.md: lays out and paints 200 endpoints in the real
 * workbench and prints one line. Not part of the suite (surefire runs only *Test classes); run it
 * with {@code -Dtest=TopologyLayoutBenchmark}. Speed is reported, not asserted.
 */
class TopologyLayoutBenchmark {
    @Test
    void layoutAndDrawOf200Endpoints() {
        TopologyBenchmark.Numbers n = TopologyBenchmark.run(Display.getCurrent(), 200, 5);
        System.out.println("TopologyBenchmark: " + n);
        assertEquals(200, n.nodes());
    }
}
