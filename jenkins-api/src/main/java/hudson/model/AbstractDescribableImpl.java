package hudson.model;

/** Stand-in (deprecated in core in favour of implementing Describable directly). */
@Deprecated
public abstract class AbstractDescribableImpl<T extends AbstractDescribableImpl<T>> implements Describable<T> {
    public AbstractDescribableImpl() {
    }
}
