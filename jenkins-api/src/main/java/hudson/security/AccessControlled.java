package hudson.security;

/** Stand-in. */
public interface AccessControlled {
    ACL getACL();

    default void checkPermission(Permission permission) {
        getACL().checkPermission(permission);
    }

    default boolean hasPermission(Permission permission) {
        return getACL().hasPermission(permission);
    }

    default void checkAnyPermission(Permission... permissions) {
        for (Permission p : permissions) {
            if (hasPermission(p)) {
                return;
            }
        }
        checkPermission(permissions[0]);
    }

    default boolean hasAnyPermission(Permission... permissions) {
        for (Permission p : permissions) {
            if (hasPermission(p)) {
                return true;
            }
        }
        return false;
    }
}
