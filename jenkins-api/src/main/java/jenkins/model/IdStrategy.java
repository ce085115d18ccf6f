package jenkins.model;

import hudson.ExtensionPoint;
import hudson.model.Describable;
import java.util.Locale;

/** Stand-in: how a security realm compares user/group ids. */
public abstract class IdStrategy implements Describable<IdStrategy>, ExtensionPoint, java.util.Comparator<String> {
    public static IdStrategy CASE_INSENSITIVE = new CaseInsensitive();

    public IdStrategy() {
    }

    public String keyFor(String id) {
        return id;
    }

    public boolean equals(String id1, String id2) {
        return compare(id1, id2) == 0;
    }

    @Override
    public abstract int compare(String id1, String id2);

    @Override
    public boolean equals(Object obj) {
        return obj != null && getClass() == obj.getClass();
    }

    @Override
    public int hashCode() {
        return getClass().hashCode();
    }

    /** Stand-in. */
    public static class CaseInsensitive extends IdStrategy implements java.io.Serializable {
        private static final long serialVersionUID = 1L;

        public CaseInsensitive() {
        }

        @Override
        public String keyFor(String id) {
            return id.toLowerCase(Locale.ENGLISH);
        }

        @Override
        public boolean equals(String id1, String id2) {
            return id1.equalsIgnoreCase(id2);
        }

        @Override
        public int compare(String id1, String id2) {
            return id1.compareToIgnoreCase(id2);
        }
    }

    /** Stand-in. */
    public static class CaseSensitive extends IdStrategy implements java.io.Serializable {
        private static final long serialVersionUID = 1L;

        public CaseSensitive() {
        }

        @Override
        public boolean equals(String id1, String id2) {
            return id1.equals(id2);
        }

        @Override
        public int compare(String id1, String id2) {
            return id1.compareTo(id2);
        }
    }
}
