package com.cloudbees.plugins.credentials.common;

/** Stand-in: labels are "description" when one is set, else the id (CredentialsNameProvider's fallback). */
public class StandardListBoxModel extends AbstractIdCredentialsListBoxModel<StandardListBoxModel, StandardCredentials> {
    private static final long serialVersionUID = 1L;

    public StandardListBoxModel() {
    }

    @Override
    protected String describe(StandardCredentials c) {
        String d = c.getDescription();
        return d == null || d.isEmpty() ? c.getId() : d;
    }
}
