package heron.core.model;

import java.util.AbstractList;
import java.util.List;
import java.util.RandomAccess;

/**
 * An immutable list whose size is known up front and whose elements are built on the first
 * {@link #get}, all at once (e.g. the SSE events of a response, parsed from its body only when
 * someone reads them). Thread-safe; records that hold lists keep a DeferredList as it is instead of
 * copying it.
 *
 * @param <E> the element type
 */
public abstract class DeferredList<E> extends AbstractList<E> implements RandomAccess {
    private final int size;
    private volatile List<E> value;

    protected DeferredList(int size) {
        this.size = size;
    }

    @Override
    public final int size() {
        return size;
    }

    @Override
    public final E get(int index) {
        List<E> v = value;
        if (v == null) {
            v = List.copyOf(produce());
            if (v.size() != size) {
                throw new IllegalStateException("deferred list produced " + v.size() + " elements, not " + size);
            }
            value = v;
        }
        return v.get(index);
    }

    /** Builds the elements (exactly {@link #size()} of them, no nulls). */
    protected abstract List<E> produce();
}
