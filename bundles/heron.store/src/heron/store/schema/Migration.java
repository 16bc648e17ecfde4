package heron.store.schema;

import java.util.List;

/**
 * One step of the schema history. Applied once, in version order, and recorded in
 * {@code schema_version}; a released migration is never edited, only followed by a new one.
 */
public record Migration(int version, String description, List<String> statements) {
    public Migration {
        statements = List.copyOf(statements);
    }
}
