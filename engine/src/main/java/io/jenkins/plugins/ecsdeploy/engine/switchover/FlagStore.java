package io.jenkins.plugins.ecsdeploy.engine.switchover;

/**
 * Where the switchover flag lives: SSM Parameter Store ({@link SsmFlagStore}) or another store the host provides.
 * Blocking calls (the engine makes them on an I/O thread).
 */
public interface FlagStore {
    /** The flag's current value and whether it is a secret (an SSM SecureString); null when it does not exist. */
    record Flag(String value, boolean secure) {}

    Flag read(String name);

    /** Sets the flag to {@code value}, replacing the current one (idempotent). */
    void write(String name, String value);

    /** e.g. "SSM parameter" — for messages. */
    default String kind() {
        return "SSM parameter";
    }
}
