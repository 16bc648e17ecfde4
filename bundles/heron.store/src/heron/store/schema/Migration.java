package heron.store.schema;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * One step of the schema history. Applied once, in version order, and recorded in
 * {@code schema_version}; a released migration is never edited, only followed by a new one.
 *
 * @param statements SQL run in order
 * @param code       run after the statements (null: none), for steps that depend on the data,
 *                   e.g. one table set per existing capture
 */
public record Migration(int version, String description, List<String> statements, Step code) {
    /** A migration step written in Java. */
    @FunctionalInterface
    public interface Step {
        void apply(Connection c) throws SQLException;
    }

    public Migration {
        statements = List.copyOf(statements);
    }

    public Migration(int version, String description, List<String> statements) {
        this(version, description, statements, null);
    }
}
