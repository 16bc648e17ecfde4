package heron.agents;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import heron.agents.profiles.ClaudeCodeProfile;
import heron.agents.profiles.CodexProfile;
import heron.agents.profiles.GeminiCliProfile;
import heron.agents.profiles.GenericProfile;
import heron.agents.profiles.HermesProfile;
import heron.agents.profiles.OpenClawProfile;
import heron.agents.profiles.OpencodeProfile;
import heron.core.agents.AgentProfile;
import heron.core.agents.AgentProfileRegistry;
import heron.core.registry.Contribution;
import heron.core.registry.RegistryProblems;

/**
 * The built-in profiles as a registry without the extension registry, with the same ids and
 * priorities as this bundle's plugin.xml (for tests and plain-Java use; the workbench and
 * {@code heron analyze} use {@link AgentProfileRegistry#fromPlatform()}).
 */
public final class BuiltinProfiles {
    public static final String CLAUDE_CODE = "claude-code";
    public static final String CODEX = "codex";
    public static final String GEMINI_CLI = "gemini-cli";
    public static final String OPENCODE = "opencode";
    public static final String OPENCLAW = "openclaw";
    public static final String HERMES = "hermes";
    public static final String GENERIC = "generic";

    private BuiltinProfiles() {
    }

    public static AgentProfileRegistry registry() {
        RegistryProblems problems = new RegistryProblems();
        return new AgentProfileRegistry(List.of(
                c(CLAUDE_CODE, "Claude Code", 100, ClaudeCodeProfile::new, problems),
                c(CODEX, "Codex CLI", 90, CodexProfile::new, problems),
                c(GEMINI_CLI, "Gemini CLI", 80, GeminiCliProfile::new, problems),
                c(OPENCODE, "opencode", 70, OpencodeProfile::new, problems),
                c(OPENCLAW, "OpenClaw", 60, OpenClawProfile::new, problems),
                c(HERMES, "Hermes Agent", 50, HermesProfile::new, problems),
                c(GENERIC, "Generic tool loop", -1000, GenericProfile::new, problems)), problems);
    }

    private static Contribution<AgentProfile> c(String id, String name, int priority, Supplier<AgentProfile> f,
            RegistryProblems problems) {
        return new Contribution<>(id, name, priority, "heron.agents", Map.of(), f, problems);
    }
}
