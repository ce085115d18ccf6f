package hudson.model;

import jenkins.model.Jenkins;

/** Stand-in: the descriptor comes from those registered with the test Jenkins. */
public interface Describable<T extends Describable<T>> {
    @SuppressWarnings("unchecked")
    default Descriptor<T> getDescriptor() {
        return Jenkins.get().getDescriptorOrDie(getClass());
    }
}
