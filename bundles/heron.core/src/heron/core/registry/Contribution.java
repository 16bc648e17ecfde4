package heron.core.registry;

import java.util.Map;
import java.util.function.Supplier;

/**
 * One contribution to a Heron extension point: its descriptor is read eagerly, its Java object
 * is created lazily and once, on first use. A contribution whose object cannot be created
 * (missing class, wrong type, constructor failure) is logged once with its bundle id and then
 * answers {@code null} from {@link #get()} for good, so one broken plug-in never stops an import.
 *
 * @param <T> the SPI type
 */
public final class Contribution<T> {
    private final String id;
    private final String name;
    private final int priority;
    private final String contributor;
    private final Map<String, String> attributes;
    private final Supplier<T> factory;
    private final RegistryProblems problems;
    private volatile T instance;
    private volatile boolean failed;

    public Contribution(String id, String name, int priority, String contributor, Map<String, String> attributes,
            Supplier<T> factory, RegistryProblems problems) {
        this.id = id;
        this.name = name == null ? id : name;
        this.priority = priority;
        this.contributor = contributor;
        this.attributes = Map.copyOf(attributes);
        this.factory = factory;
        this.problems = problems;
    }

    public String id() {
        return id;
    }

    public String name() {
        return name;
    }

    public int priority() {
        return priority;
    }

    /** Symbolic name of the contributing bundle. */
    public String contributor() {
        return contributor;
    }

    /** Further attributes of the contribution element (e.g. an exporter's file extension). */
    public String attribute(String key) {
        return attributes.get(key);
    }

    public boolean isBroken() {
        return failed;
    }

    /** The contributed object, created on first call; null if it could not be created. */
    public T get() {
        T t = instance;
        if (t != null || failed) {
            return t;
        }
        synchronized (this) {
            if (instance == null && !failed) {
                try {
                    instance = factory.get();
                    if (instance == null) {
                        throw new IllegalStateException("factory returned null");
                    }
                } catch (RuntimeException | LinkageError e) {
                    failed = true;
                    problems.report(this, e);
                }
            }
            return instance;
        }
    }

    @Override
    public String toString() {
        return id + " (" + contributor + ", priority " + priority + ")";
    }
}
