package dev.followup.faults;

import com.zaxxer.hikari.HikariDataSource;
import dev.followup.FollowUpEngine;
import dev.followup.RunSummary;
import java.time.Clock;
import java.time.Duration;

/**
 * An engine node in a JVM of its own, for the SIGKILL test: it runs the due work once against the
 * given database and SMS sink, on the real clock shifted by the given offset (so that it and the
 * test's node agree on what "now" is), then exits. The test kills it in the middle.
 *
 * <p>Arguments: JDBC URL, SMS sink base URL, clock offset in milliseconds, lease in seconds.
 */
public final class NodeMain {
    private NodeMain() {}

    /** @param args JDBC URL, sink URL, clock offset (ms), lease (s) */
    public static void main(String[] args) {
        Clock clock = Clock.offset(Clock.systemUTC(), Duration.ofMillis(Long.parseLong(args[2])));
        try (HikariDataSource dataSource = Fixtures.pool(args[0], 2, Duration.ofSeconds(5))) {
            FollowUpEngine node = SigkillTest.node("child", clock, Fixtures.store(dataSource), new HttpSmsSender(args[1]),
                    Duration.ofSeconds(Long.parseLong(args[3])));
            System.out.println("node started");
            RunSummary summary = node.runDueWork();
            // Reaching this line means the test failed to kill the node in time.
            System.out.println("node finished: " + summary);
        }
    }
}
