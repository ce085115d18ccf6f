package hudson.model;

import net.sf.json.JSONObject;
import org.kohsuke.stapler.StaplerRequest2;

/** Stand-in. */
public abstract class Descriptor<T extends Describable<T>> {
    public final Class<? extends T> clazz;

    protected Descriptor(Class<? extends T> clazz) {
        this.clazz = clazz;
    }

    /** As in core, the describable is the enclosing class of the descriptor (a GlobalConfiguration describes itself). */
    @SuppressWarnings("unchecked")
    protected Descriptor() {
        Class<?> enclosing = getClass().getEnclosingClass();
        this.clazz = (Class<? extends T>) (enclosing != null ? enclosing : getClass());
    }

    public String getDisplayName() {
        return clazz.getSimpleName();
    }

    public String getId() {
        return clazz.getName();
    }

    @SuppressWarnings("unchecked")
    public Class<T> getT() {
        return (Class<T>) clazz;
    }

    public String getDescriptorUrl() {
        return "descriptorByName/" + getId();
    }

    public String getHelpFile() {
        return getHelpFile(null);
    }

    public String getHelpFile(String fieldName) {
        return null;
    }

    public String getConfigPage() {
        return "config.jelly";
    }

    public String getGlobalConfigPage() {
        return "global.jelly";
    }

    public boolean configure(StaplerRequest2 req, JSONObject json) throws FormException {
        return true;
    }

    public T newInstance(StaplerRequest2 req, JSONObject formData) throws FormException {
        throw new UnsupportedOperationException("stand-in: form binding is not emulated");
    }

    /** No persistence in the stand-in. */
    public void load() {
    }

    /** No persistence in the stand-in. */
    public void save() {
    }

    public static <T extends Descriptor> T findById(java.util.Collection<? extends T> list, String id) {
        for (T d : list) {
            if (d.getId().equals(id)) {
                return d;
            }
        }
        return null;
    }

    /** Stand-in. */
    public static final class FormException extends Exception {
        private static final long serialVersionUID = 1L;
        private final String formField;

        public FormException(String message, String formField) {
            super(message);
            this.formField = formField;
        }

        public FormException(String message, Throwable cause, String formField) {
            super(message, cause);
            this.formField = formField;
        }

        public FormException(Throwable cause, String formField) {
            super(cause);
            this.formField = formField;
        }

        public String getFormField() {
            return formField;
        }
    }
}
