package hudson;

import io.jenkins.plugins.ecsdeploy.apistandin.StandInJenkins;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.List;

/** Stand-in: the extensions a test registered through {@link StandInJenkins#register(Object)}. */
public class ExtensionList<T> extends AbstractList<T> {
    private final List<T> items;

    private ExtensionList(List<T> items) {
        this.items = items;
    }

    @Override
    public T get(int index) {
        return items.get(index);
    }

    @Override
    public int size() {
        return items.size();
    }

    @Override
    public java.util.Iterator<T> iterator() {
        return items.iterator();
    }

    public <U extends T> U get(Class<U> type) {
        for (T t : items) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    public static <T> ExtensionList<T> lookup(Class<T> type) {
        List<T> out = new ArrayList<>();
        for (Object o : StandInJenkins.extensions()) {
            if (type.isInstance(o)) {
                out.add(type.cast(o));
            }
        }
        return new ExtensionList<>(out);
    }

    public static <U> U lookupSingleton(Class<U> type) {
        ExtensionList<U> all = lookup(type);
        if (all.size() != 1) {
            throw new IllegalStateException("Expected 1 instance of " + type.getName() + " but got " + all.size());
        }
        return all.get(0);
    }

    public static <U> U lookupFirst(Class<U> type) {
        ExtensionList<U> all = lookup(type);
        if (all.isEmpty()) {
            throw new IllegalStateException("Found no instances of " + type.getName() + " registered");
        }
        return all.get(0);
    }
}
