package jenkins.util;

import io.jenkins.plugins.ecsdeploy.apistandin.StandInJenkins;
import java.util.concurrent.ScheduledExecutorService;

/** Stand-in: the test may install its own (e.g. a manually driven) executor via StandInJenkins. */
public class Timer {
    private Timer() {
    }

    public static ScheduledExecutorService get() {
        return StandInJenkins.timer();
    }

    public static void shutdown() {
        StandInJenkins.timer().shutdownNow();
    }
}
