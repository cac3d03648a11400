package dev.followup.jdbc;

import dev.followup.FollowUpEngine;
import dev.followup.PracticeSettings;
import dev.followup.RunSummary;
import dev.followup.message.SendRate;
import dev.followup.patient.PhoneNumber;
import dev.followup.practice.Practice;
import dev.followup.practice.PracticeId;
import dev.followup.spi.EmailSender;
import dev.followup.spi.FollowUpStore;
import dev.followup.spi.SmsSender;
import dev.followup.test.InMemoryScheduling;
import dev.followup.test.MutableClock;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * Several engines ("nodes") on one store and one mutable clock: what a clustered deployment looks
 * like, run step by step so that the test decides when time moves.
 */
final class EngineCluster {
    /** Monday 2 March 2026, 08:00 in Chicago: invitations fall due inside that day's send window. */
    static final Instant MONDAY = Instant.parse("2026-03-02T14:00:00Z");
    static final String ZONE = "America/Chicago";

    final MutableClock clock = MutableClock.at(MONDAY);
    final List<Practice> practices = new ArrayList<>();
    final List<FollowUpEngine> nodes = new ArrayList<>();

    EngineCluster(FollowUpStore store, int practiceCount, int nodeCount, IntFunction<SmsSender> sms, IntFunction<EmailSender> email,
            Duration lease) {
        for (int p = 0; p < practiceCount; p++) {
            practices.add(Practice.builder(PracticeId.of("cluster-" + p)).name("Clinic " + p).callbackPhone("(555) 010-200" + p)
                    .timeZone(ZONE).smsFrom("+1312555099" + p).emailFrom("care@clinic" + p + ".example").build());
        }
        InMemoryScheduling scheduling = new InMemoryScheduling(ZoneId.of(ZONE));
        for (int n = 0; n < nodeCount; n++) {
            FollowUpEngine.Builder b = FollowUpEngine.builder().clock(clock).store(store).smsSender(sms.apply(n))
                    .emailSender(email.apply(n)).slotProvider(scheduling).appointmentBooker(scheduling).taskSink(t -> { })
                    .nodeId("node-" + n).batchSize(200).lease(lease).pacingSleeper(d -> { });
            for (Practice practice : practices) {
                b.practice(practice, PracticeSettings.defaults());
                // Pacing is per node; the test is about exactly-once, not throughput limits.
                b.sendRate(practice.smsFrom(), SendRate.perSecond(10_000));
            }
            nodes.add(b.build());
        }
    }

    static PhoneNumber phoneOf(int practice, int i) {
        return PhoneNumber.ofE164("+1" + (312 + practice) + String.format("%07d", 5_000_000 + i));
    }

    static String csv(int practice, int from, int to) {
        StringBuilder s = new StringBuilder("MRN,First Name,Last Name,Phone,Email,Provider,Follow-Up Type,Preferred Window,Language\n");
        for (int i = from; i < to; i++) {
            s.append("M").append(practice).append('-').append(i).append(",Pat").append(i).append(",Tester").append(i).append(',')
                    .append(phoneOf(practice, i).e164()).append(",pat").append(practice).append('.').append(i)
                    .append("@example.com,Dr. Martinez,annual-exam,Mornings,en\n");
        }
        return s.toString();
    }

    int ingest(int practice, int from, int to) {
        return nodes.get(practice % nodes.size()).ingest(practices.get(practice).id(),
                new ByteArrayInputStream(csv(practice, from, to).getBytes(StandardCharsets.UTF_8)), null).accepted();
    }

    /** Every live node runs its due work at the same time; returns the sum of what they did. */
    RunSummary runAll(ExecutorService pool, List<FollowUpEngine> live) throws Exception {
        List<Future<RunSummary>> runs = new ArrayList<>();
        for (FollowUpEngine node : live) {
            runs.add(pool.submit(node::runDueWork));
        }
        RunSummary total = RunSummary.EMPTY;
        for (Future<RunSummary> run : runs) {
            total = total.plus(run.get(10, TimeUnit.MINUTES));
        }
        return total;
    }
}
