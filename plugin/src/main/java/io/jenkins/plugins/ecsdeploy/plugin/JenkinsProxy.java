package io.jenkins.plugins.ecsdeploy.plugin;

import hudson.ProxyConfiguration;
import hudson.util.Secret;
import io.jenkins.plugins.ecsdeploy.engine.EngineConfig;
import java.util.ArrayList;
import java.util.List;
import jenkins.model.Jenkins;

/**
 * The controller's HTTP proxy (Manage Jenkins » Plugins » Advanced) as the engine's own {@link EngineConfig.Proxy}
 * (no Jenkins type crosses into the engine, docs/architecture.md D5): host, port, user and password, and the no-proxy
 * list split the way core splits it — on blanks, commas and {@code |}
 * (jenkinsci/jenkins@jenkins-2.541.3:core/src/main/java/hudson/ProxyConfiguration.java:224-233).
 */
final class JenkinsProxy {
    private JenkinsProxy() {}

    /** The proxy now configured, or null (no Jenkins, or no proxy). */
    static EngineConfig.Proxy current() {
        Jenkins j = Jenkins.getInstanceOrNull();
        if (j == null) {
            return null;
        }
        return of(j.getProxy());
    }

    static EngineConfig.Proxy of(ProxyConfiguration p) {
        if (p == null || p.getName() == null || p.getName().isBlank()) {
            return null;
        }
        List<String> noProxy = new ArrayList<>();
        if (p.getNoProxyHost() != null) {
            for (String s : p.getNoProxyHost().split("[ \t\n,|]+")) {
                if (!s.isEmpty()) {
                    noProxy.add(s);
                }
            }
        }
        Secret password = p.getSecretPassword();
        return new EngineConfig.Proxy(p.getName().trim(), p.getPort(), Values.trimToNull(p.getUserName()),
                password == null ? null : password.getPlainText(), noProxy);
    }
}
