package heron.core.agents;

import java.util.List;

import heron.core.health.PipelineHealth;
import heron.core.model.HttpExchange;
import heron.core.model.LlmCall;
import heron.core.registry.Contribution;
import heron.core.registry.RegistryProblems;
import heron.core.registry.RegistryReader;

/** The contributions to {@code heron.core.agentProfiles}: the first profile that recognises a call owns it. */
public final class AgentProfileRegistry extends RegistryReader<AgentProfile> {
    public static final String POINT_ID = "heron.core.agentProfiles";
    public static final String ELEMENT = "profile";

    public AgentProfileRegistry(List<Contribution<AgentProfile>> contributions, RegistryProblems problems) {
        super(contributions, problems);
    }

    public static AgentProfileRegistry fromPlatform() {
        RegistryProblems problems = new RegistryProblems();
        return new AgentProfileRegistry(readPlatform(POINT_ID, ELEMENT, AgentProfile.class, problems), problems);
    }

    /** The profile that owns this call, or null. */
    public Contribution<AgentProfile> match(LlmCall call, HttpExchange exchange, PipelineHealth health) {
        for (Contribution<AgentProfile> c : working()) {
            try {
                if (c.get().recognises(call, exchange)) {
                    return c;
                }
            } catch (RuntimeException e) {
                health.inc(PipelineHealth.CONTRIBUTION_ERRORS);
            }
        }
        return null;
    }
}
