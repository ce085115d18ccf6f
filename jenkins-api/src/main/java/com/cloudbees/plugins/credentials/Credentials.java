package com.cloudbees.plugins.credentials;

import hudson.ExtensionPoint;
import hudson.model.Describable;

/**
 * Stand-in. getScope()/getDescriptor() (CredentialsScope/CredentialsDescriptor) are left out: the plugin only
 * reads credentials, never creates or describes them.
 */
public interface Credentials extends Describable<Credentials>, java.io.Serializable, ExtensionPoint {
}
