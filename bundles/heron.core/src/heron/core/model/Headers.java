package heron.core.model;

import java.util.ArrayList;
import java.util.List;

/**
 * An ordered header list; look-ups are case-insensitive (RFC 9110 §5.1). The list may be a
 * {@link DeferredList} (header lines parsed on first access).
 */
public record Headers(List<Header> list) {
    public static final Headers EMPTY = new Headers(List.of());

    public Headers {
        // a DeferredList is immutable already: copying it would parse every line now
        list = list instanceof DeferredList<Header> ? list : List.copyOf(list);
    }

    /** The first value of the named header, or null. */
    public String get(String name) {
        for (Header h : list) {
            if (h.name().equalsIgnoreCase(name)) {
                return h.value();
            }
        }
        return null;
    }

    public List<String> getAll(String name) {
        List<String> out = new ArrayList<>(1);
        for (Header h : list) {
            if (h.name().equalsIgnoreCase(name)) {
                out.add(h.value());
            }
        }
        return out;
    }

    public boolean has(String name) {
        return get(name) != null;
    }

    public int size() {
        return list.size();
    }
}
