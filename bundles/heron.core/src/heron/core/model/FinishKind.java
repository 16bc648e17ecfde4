package heron.core.model;

/** The normalised finish of a call; the provider's raw finish reason is kept beside it. */
public enum FinishKind {
    COMPLETE, LENGTH, TOOL_USE, CONTENT_FILTER, ERROR, CANCELLED;

    /** Lowercase name as written in JSON output and the database. */
    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
