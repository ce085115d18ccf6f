package org.jenkinsci.plugins.workflow.cps;

import hudson.ExtensionList;
import hudson.ExtensionPoint;
import hudson.model.Job;
import hudson.model.Run;
import java.util.ArrayList;
import java.util.List;

/**
 * Stand-in of workflow-cps' global variables (jenkinsci/workflow-cps-plugin@4350.vcc65d4958821:plugin/src/main/java/org/jenkinsci/plugins/workflow/cps/GlobalVariable.java):
 * an extension with a name and a value per script; {@code byName} returns the first of {@code forRun(run)} with that name.
 * Here the registered extensions are the only {@code GlobalVariableSet} (the real one also adds shared libraries).
 */
public abstract class GlobalVariable implements ExtensionPoint {
    public GlobalVariable() {
    }

    public abstract String getName();

    public abstract Object getValue(CpsScript script) throws Exception;

    public static Iterable<GlobalVariable> forRun(Run<?, ?> run) {
        return new ArrayList<>(ExtensionList.lookup(GlobalVariable.class));
    }

    public static Iterable<GlobalVariable> forJob(Job<?, ?> job) {
        return new ArrayList<>(ExtensionList.lookup(GlobalVariable.class));
    }

    public static GlobalVariable byName(String name, Run<?, ?> run) {
        for (GlobalVariable v : forRun(run)) {
            if (v.getName().equals(name)) {
                return v;
            }
        }
        return null;
    }

    static List<String> names() {
        List<String> out = new ArrayList<>();
        forRun(null).forEach(v -> out.add(v.getName()));
        return out;
    }
}
