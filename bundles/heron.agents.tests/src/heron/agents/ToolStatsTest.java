package heron.agents;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;

import org.junit.jupiter.api.Test;

import heron.agents.ToolStats.ToolStat;
import heron.core.model.ToolLink;

class ToolStatsTest {

    @Test
    void countsErrorRateAndMedianPerToolOverResolvedCalls() {
        List<ToolLink> links = List.of(new ToolLink("1", "Bash", 1, 2, 100, false),
                new ToolLink("2", "Bash", 2, 3, 300, true), new ToolLink("3", "Bash", 3, 4, 200, false),
                new ToolLink("4", "Bash", 4, 0, 0, false), new ToolLink("5", "Read", 1, 2, 10, false),
                new ToolLink("6", "Read", 1, 2, 30, false), new ToolLink("7", null, 5, 0, 0, false));
        List<ToolStat> s = ToolStats.of(links);
        assertEquals(List.of("?", "Bash", "Read"), s.stream().map(ToolStat::toolName).toList());
        ToolStat bash = s.get(1);
        assertEquals(4, bash.count());
        assertEquals(3, bash.resolved());
        assertEquals(1, bash.errors());
        assertEquals(1.0 / 3, bash.errorRate(), 1e-9);
        assertEquals(200L, bash.medianNanos());
        assertEquals(20L, s.get(2).medianNanos());
        assertNull(s.get(0).medianNanos());
        assertEquals(0.0, s.get(0).errorRate());
    }
}
