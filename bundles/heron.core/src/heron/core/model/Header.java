package heron.core.model;

/** One header line as sent (name case preserved, duplicates kept in order by {@link Headers}). */
public record Header(String name, String value) {
}
