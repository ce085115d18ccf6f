package io.jenkins.plugins.ecsdeploy.engine.cutover;

import java.util.regex.Pattern;

/** Host names and addresses as DNS and Route 53 take them (RFC 1035 section 2.3.4: labels of at most 63, names of 255). */
final class Hosts {
    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?");
    private static final Pattern IPV4 = Pattern.compile(
            "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

    private Hosts() {}

    static boolean isIpv4(String s) {
        return s != null && IPV4.matcher(s).matches();
    }

    static boolean isIpv6(String s) {
        if (s == null || s.indexOf(':') < 0 || !IPV6.matcher(s).matches()) {
            return false;
        }
        try {
            return java.net.InetAddress.getByName(s) instanceof java.net.Inet6Address; // a literal: no lookup is made
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    /** A host name: labels of letters, digits, '-' and '_', at most 253 characters without a final dot. */
    static boolean isHostName(String s, boolean wildcardAllowed) {
        if (s == null || s.isEmpty()) {
            return false;
        }
        String n = s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
        if (n.isEmpty() || n.length() > 253) {
            return false;
        }
        String[] labels = n.split("\\.", -1);
        for (int i = 0; i < labels.length; i++) {
            if (wildcardAllowed && i == 0 && labels[i].equals("*") && labels.length > 1) {
                continue;
            }
            if (!LABEL.matcher(labels[i]).matches()) {
                return false;
            }
        }
        return true;
    }
}
