package dev.followup.faults;

import com.zaxxer.hikari.HikariDataSource;
import dev.followup.FollowUpEngine;
import dev.followup.RunSummary;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * An engine node in a JVM of its own, for the SIGKILL test: it runs the due work once against the
 * given database and SMS sink, on the real clock shifted by the given offset (so that it and the
 * test's node agree on what "now" is), as several runs at once (the starter's workers), then exits.
 * The test kills it in the middle.
 *
 * <p>Arguments: JDBC URL, SMS sink base URL, clock offset in milliseconds, lease in seconds, runs at once.
 */
public final class NodeMain {
    private NodeMain() {}

    /**
     * @param args JDBC URL, sink URL, clock offset (ms), lease (s), runs at once
     * @throws Exception if a run fails (the test then sees the node end before it is killed)
     */
    public static void main(String[] args) throws Exception {
        Clock clock = Clock.offset(Clock.systemUTC(), Duration.ofMillis(Long.parseLong(args[2])));
        int runs = Integer.parseInt(args[4]);
        try (HikariDataSource dataSource = Fixtures.pool(args[0], runs + 1, Duration.ofSeconds(5))) {
            FollowUpEngine node = SigkillTest.node("child", clock, Fixtures.store(dataSource), new HttpSmsSender(args[1]),
                    Duration.ofSeconds(Long.parseLong(args[3])), runs);
            System.out.println("node started");
            ExecutorService threads = Executors.newFixedThreadPool(runs);
            List<Future<RunSummary>> started = new ArrayList<>();
            for (int r = 0; r < runs; r++) {
                started.add(threads.submit(node::runDueWork));
            }
            for (Future<RunSummary> run : started) {
                // Reaching this line means the test failed to kill the node in time.
                System.out.println("run finished: " + run.get());
            }
            threads.shutdown();
        }
    }
}
