package heron.core.export;

/**
 * @param scope            "turn" or "session" (what one output line/record is), or "call"
 * @param maskSecrets      mask API keys, tokens, cookies (the default; off only on request)
 * @param includeSubagents export sub-agent conversations as their own lines
 */
public record ExportOptions(String scope, boolean maskSecrets, boolean includeSubagents) {
    public static final ExportOptions DEFAULT = new ExportOptions("turn", true, false);
}
