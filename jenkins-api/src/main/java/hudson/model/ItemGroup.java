package hudson.model;

/** Stand-in. */
public interface ItemGroup<T extends Item> {
    String getUrl();

    T getItem(String name);

    java.util.Collection<T> getItems();
}
