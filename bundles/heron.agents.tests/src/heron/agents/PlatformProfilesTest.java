package heron.agents;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import heron.core.agents.AgentProfileRegistry;
import heron.core.registry.Contribution;

class PlatformProfilesTest {

    @Test
    void pluginXmlContributesTheSevenBuiltinProfilesInPriorityOrder() {
        AgentProfileRegistry reg = AgentProfileRegistry.fromPlatform();
        List<String> ids = reg.working().stream().map(Contribution::id).toList();
        List<String> ours = ids.stream().filter(BuiltinProfilesTestIds.IDS::contains).toList();
        assertEquals(BuiltinProfilesTestIds.IDS, ours);
        assertEquals("generic", ids.get(ids.size() - 1));
        // Names come from plugin.properties, not the raw %keys.
        assertEquals("Claude Code", reg.byId("claude-code").orElseThrow().name());
        assertTrue(reg.problems().messages().isEmpty(), () -> String.join("\n", reg.problems().messages()));
        assertEquals(BuiltinProfiles.registry().working().stream().map(c -> c.priority()).toList(),
                reg.working().stream().filter(c -> BuiltinProfilesTestIds.IDS.contains(c.id())).map(c -> c.priority()).toList());
    }

    static final class BuiltinProfilesTestIds {
        static final List<String> IDS = List.of(BuiltinProfiles.CLAUDE_CODE, BuiltinProfiles.CODEX,
                BuiltinProfiles.GEMINI_CLI, BuiltinProfiles.OPENCODE, BuiltinProfiles.OPENCLAW, BuiltinProfiles.HERMES,
                BuiltinProfiles.GENERIC);
    }
}
