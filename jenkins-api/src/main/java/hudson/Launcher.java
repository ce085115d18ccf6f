package hudson;

/** Stand-in: only the type (the plugin never launches processes). */
public abstract class Launcher {
    private Launcher() {
    }
}
