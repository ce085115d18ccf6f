package hudson.model;

import hudson.security.AccessControlled;
import hudson.security.Permission;

/** Stand-in. */
public interface Item extends AccessControlled {
    Permission READ = Permission.fromId("hudson.model.Item.Read");
    Permission DISCOVER = Permission.fromId("hudson.model.Item.Discover");
    Permission CONFIGURE = Permission.fromId("hudson.model.Item.Configure");
    Permission EXTENDED_READ = Permission.fromId("hudson.model.Item.ExtendedRead");
    Permission BUILD = Permission.fromId("hudson.model.Item.Build");
    Permission WORKSPACE = Permission.fromId("hudson.model.Item.Workspace");
    Permission CANCEL = Permission.fromId("hudson.model.Item.Cancel");

    String getName();

    String getFullName();

    String getUrl();
}
