package heron.core.registry;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.IConfigurationElement;
import org.eclipse.core.runtime.IExtensionRegistry;
import org.eclipse.core.runtime.Platform;

/**
 * Shared base of the four Heron registries: reads an extension point's contributions eagerly
 * into {@link Contribution}s ordered by priority (higher first), then id, so the order and hence
 * results are deterministic. Descriptors with a missing id or class are reported and skipped.
 *
 * @param <T> the SPI type
 */
public class RegistryReader<T> {
    private final List<Contribution<T>> contributions;
    private final RegistryProblems problems;

    protected RegistryReader(List<Contribution<T>> contributions, RegistryProblems problems) {
        List<Contribution<T>> sorted = new ArrayList<>(contributions);
        sorted.sort(ORDER);
        this.contributions = List.copyOf(sorted);
        this.problems = problems;
    }

    /** Priority descending, then id: the one order every registry uses. */
    public static final Comparator<Contribution<?>> ORDER = Comparator
            .<Contribution<?>>comparingInt(c -> -c.priority()).thenComparing(Contribution::id);

    /**
     * Reads all elements named {@code element} of the extension point {@code pointId} from the
     * running platform's extension registry; empty outside OSGi.
     */
    protected static <T> List<Contribution<T>> readPlatform(String pointId, String element, Class<T> type,
            RegistryProblems problems) {
        List<Contribution<T>> out = new ArrayList<>();
        IExtensionRegistry reg = Platform.isRunning() ? Platform.getExtensionRegistry() : null;
        if (reg == null) {
            return out;
        }
        for (IConfigurationElement e : reg.getConfigurationElementsFor(pointId)) {
            if (!element.equals(e.getName())) {
                continue;
            }
            String bundle = e.getContributor().getName();
            String id = e.getAttribute("id");
            if (id == null || id.isBlank() || e.getAttribute("class") == null) {
                problems.report("A contribution to " + pointId + " from bundle '" + bundle
                        + "' has no id or no class and is skipped", null);
                continue;
            }
            int priority = 0;
            String p = e.getAttribute("priority");
            if (p != null) {
                try {
                    priority = Integer.parseInt(p.trim());
                } catch (NumberFormatException ex) {
                    problems.report("Contribution '" + id + "' from bundle '" + bundle + "' has a priority that is not"
                            + " a number ('" + p + "'); using 0", null);
                }
            }
            Map<String, String> attrs = new HashMap<>();
            for (String a : e.getAttributeNames()) {
                attrs.put(a, e.getAttribute(a));
            }
            out.add(new Contribution<>(id, e.getAttribute("name"), priority, bundle, attrs,
                    () -> create(e, type), problems));
        }
        return out;
    }

    private static <T> T create(IConfigurationElement e, Class<T> type) {
        Object o;
        try {
            o = e.createExecutableExtension("class");
        } catch (CoreException ex) {
            throw new IllegalStateException("class '" + e.getAttribute("class") + "' cannot be created: "
                    + ex.getStatus().getMessage(), ex);
        }
        if (!type.isInstance(o)) {
            throw new IllegalStateException(
                    "class '" + o.getClass().getName() + "' does not implement " + type.getName());
        }
        return type.cast(o);
    }

    /** All contributions in order, broken ones included (they answer null from get()). */
    public List<Contribution<T>> contributions() {
        return contributions;
    }

    /** The working contributions' objects, in order; creates them on first call. */
    public List<Contribution<T>> working() {
        List<Contribution<T>> out = new ArrayList<>();
        for (Contribution<T> c : contributions) {
            if (c.get() != null) {
                out.add(c);
            }
        }
        return out;
    }

    public Optional<Contribution<T>> byId(String id) {
        return contributions.stream().filter(c -> c.id().equals(id)).findFirst();
    }

    public RegistryProblems problems() {
        return problems;
    }
}
