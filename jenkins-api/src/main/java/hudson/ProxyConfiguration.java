package hudson;

import hudson.util.Secret;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Stand-in of the controller's HTTP proxy (Manage Jenkins » Plugins » Advanced), with core's parsing of the
 * no-proxy list: entries split on blanks, commas and '|', '.' literal, '*' any text
 * (jenkinsci/jenkins@jenkins-2.541.3:core/src/main/java/hudson/ProxyConfiguration.java:224-233).
 */
public final class ProxyConfiguration {
    public final String name;
    public final int port;
    public String noProxyHost;
    private final String userName;
    private final Secret secretPassword;

    public ProxyConfiguration(String name, int port) {
        this(name, port, null, null);
    }

    public ProxyConfiguration(String name, int port, String userName, String password) {
        this(name, port, userName, password, null);
    }

    public ProxyConfiguration(String name, int port, String userName, String password, String noProxyHost) {
        this.name = name;
        this.port = port;
        this.userName = userName == null || userName.isEmpty() ? null : userName;
        this.secretPassword = password == null ? null : Secret.fromString(password);
        this.noProxyHost = noProxyHost;
    }

    public String getName() {
        return name;
    }

    public int getPort() {
        return port;
    }

    public String getUserName() {
        return userName;
    }

    public Secret getSecretPassword() {
        return secretPassword;
    }

    public String getNoProxyHost() {
        return noProxyHost;
    }

    public List<Pattern> getNoProxyHostPatterns() {
        return getNoProxyHostPatterns(noProxyHost);
    }

    public static List<Pattern> getNoProxyHostPatterns(String noProxyHost) {
        if (noProxyHost == null) {
            return Collections.emptyList();
        }
        List<Pattern> r = new ArrayList<>();
        for (String s : noProxyHost.split("[ \t\n,|]+")) {
            if (!s.isEmpty()) {
                r.add(Pattern.compile(s.replace(".", "\\.").replace("*", ".*")));
            }
        }
        return r;
    }
}
