package heron.agents.profiles;

import java.util.Set;

import heron.core.model.LlmCall;
import heron.core.model.ToolDefinition;

/**
 * Recognition of agents that send no identifying header by their tool catalogue: an agent whose
 * own tools have distinctive names offers at least two of them in every main-loop request, while
 * one such name alone can be a coincidence in another client's catalogue.
 */
final class ToolFingerprint {
    private ToolFingerprint() {
    }

    /** Whether the call offers at least two distinct tools named in {@code names}. */
    static boolean offersTwoOf(LlmCall call, Set<String> names) {
        String first = null;
        for (ToolDefinition d : call.toolsOffered()) {
            String n = d.name();
            if (n != null && names.contains(n)) {
                if (first == null) {
                    first = n;
                } else if (!first.equals(n)) {
                    return true;
                }
            }
        }
        return false;
    }
}
