package com.cloudbees.plugins.credentials.common;

import hudson.model.Item;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.ecsdeploy.apistandin.StandInJenkins;
import org.springframework.security.core.Authentication;

/**
 * Stand-in of the credentials plugin's drop-down model, with the behaviour the plugin relies on
 * (jenkinsci/credentials-plugin@1502.v5c95e620ddfe:src/main/java/com/cloudbees/plugins/credentials/common/AbstractIdCredentialsListBoxModel.java):
 * {@link #includeEmptyValue()} adds "- none -" with value "" once, first (:171-179); {@link #includeAs} lists the
 * credentials of the type visible in the item's context to the given authentication (:336-345; the stand-in's store
 * is global and every authentication sees it); {@link #includeCurrentValue} keeps a value that is not listed as
 * "- current -" (:579-592).
 */
public abstract class AbstractIdCredentialsListBoxModel<T extends AbstractIdCredentialsListBoxModel<T, C>, C extends IdCredentials>
        extends ListBoxModel {
    private static final long serialVersionUID = 1L;

    public AbstractIdCredentialsListBoxModel() {
    }

    protected abstract String describe(C c);

    public AbstractIdCredentialsListBoxModel<T, C> includeEmptyValue() {
        for (Option a : this) {
            if ("".equals(a.value)) {
                return this;
            }
        }
        add(0, new Option("- none -", ""));
        return this;
    }

    @SuppressWarnings("unchecked")
    public AbstractIdCredentialsListBoxModel<T, C> includeAs(Authentication authentication, Item context, Class<? extends C> type) {
        for (Object o : StandInJenkins.credentials()) {
            if (type.isInstance(o)) {
                C c = (C) o;
                boolean present = false;
                for (Option a : this) {
                    present |= c.getId().equals(a.value);
                }
                if (!present) {
                    add(new Option(describe(c), c.getId()));
                }
            }
        }
        return this;
    }

    public AbstractIdCredentialsListBoxModel<T, C> includeCurrentValue(String value) {
        if (value == null || value.isEmpty()) {
            return includeEmptyValue();
        }
        for (Option a : this) {
            if (value.equals(a.value)) {
                return this;
            }
        }
        int index = isEmpty() ? 0 : "".equals(get(0).value) ? 1 : 0;
        add(index, new Option("- current -", value));
        return this;
    }
}
