package hudson.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Stand-in: keeps actions in memory. */
public abstract class Actionable {
    private final List<Action> actions = new CopyOnWriteArrayList<>();

    public Actionable() {
    }

    /** @deprecated as in core: use {@link #addAction} etc. Returns the live list. */
    @Deprecated
    public List<Action> getActions() {
        return actions;
    }

    public final List<? extends Action> getAllActions() {
        return Collections.unmodifiableList(new ArrayList<>(actions));
    }

    public <T extends Action> List<T> getActions(Class<T> type) {
        List<T> out = new ArrayList<>();
        for (Action a : actions) {
            if (type.isInstance(a)) {
                out.add(type.cast(a));
            }
        }
        return Collections.unmodifiableList(out);
    }

    public void addAction(Action a) {
        if (a == null) {
            throw new IllegalArgumentException("Action must be non-null");
        }
        actions.add(a);
    }

    public void replaceAction(Action a) {
        addOrReplaceAction(a);
    }

    public boolean addOrReplaceAction(Action a) {
        if (a == null) {
            throw new IllegalArgumentException("Action must be non-null");
        }
        boolean found = false;
        for (Action existing : actions) {
            if (!found && existing.equals(a)) {
                found = true;
            } else if (existing.getClass() == a.getClass()) {
                actions.remove(existing);
            }
        }
        if (!found) {
            addAction(a);
        }
        return !found;
    }

    public boolean removeAction(Action a) {
        return a != null && actions.remove(a);
    }

    public boolean removeActions(Class<? extends Action> clazz) {
        return actions.removeIf(clazz::isInstance);
    }

    public <T extends Action> T getAction(Class<T> type) {
        for (Action a : actions) {
            if (type.isInstance(a)) {
                return type.cast(a);
            }
        }
        return null;
    }
}
