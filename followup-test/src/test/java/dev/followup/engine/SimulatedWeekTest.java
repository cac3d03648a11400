package dev.followup.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.followup.FollowUpEngine;
import dev.followup.PracticeSettings;
import dev.followup.followup.Channel;
import dev.followup.followup.FollowUpType;
import dev.followup.ingest.ImportResult;
import dev.followup.message.SmsPricing;
import dev.followup.patient.PhoneNumber;
import dev.followup.practice.Practice;
import dev.followup.practice.PracticeId;
import dev.followup.report.ReportSettings;
import dev.followup.report.WeeklyReport;
import dev.followup.spi.OutboundSms;
import dev.followup.task.StaffTask;
import dev.followup.task.TaskKind;
import dev.followup.test.InMemoryEmailSender;
import dev.followup.test.InMemoryFollowUpStore;
import dev.followup.test.InMemoryScheduling;
import dev.followup.test.InMemorySmsSender;
import dev.followup.test.MutableClock;
import dev.followup.test.ScriptedPatients;
import dev.followup.test.ScriptedPatients.Script;
import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * A week of outreach for 500 follow-ups across three practices in three time zones, with patients
 * who answer as scripted, on a mutable clock. Every outcome is known in advance from the scripts.
 */
class SimulatedWeekTest {
    static final Instant MONDAY_MORNING = Instant.parse("2026-03-02T12:00:00Z");
    static final String[] ZONES = {"America/Chicago", "America/New_York", "America/Los_Angeles"};
    static final String[] AREA_CODES = {"312", "212", "213"};

    /** The script of patient {@code i}: its residue mod 10 decides. */
    static Script scriptOf(int i) {
        return switch (i % 10) {
            case 0, 1, 2 -> Script.replyYesAfter(Duration.ofHours(3));
            case 3 -> Script.stopAfter(Duration.ofHours(1));
            case 4 -> Script.declineAfter(Duration.ofHours(2));
            case 5 -> Script.textAfter(Duration.ofMinutes(30), "Can I come on a Saturday instead?");
            case 9 -> Script.yesButNoChoice(Duration.ofHours(1));
            default -> Script.neverReply();
        };
    }

    static PhoneNumber phoneOf(int practice, int i) {
        return PhoneNumber.parse("+1" + AREA_CODES[practice] + "555" + String.format("%04d", i), "US");
    }

    static String csv(int practice, int from, int to) {
        StringBuilder s = new StringBuilder("MRN,First Name,Last Name,Phone,Email,Provider,Follow-Up Type,Preferred Window,Language\n");
        for (int i = from; i < to; i++) {
            s.append("M").append(i).append(",Pat").append(i).append(",Tester").append(i).append(',')
                    .append(phoneOf(practice, i).e164()).append(",pat").append(i).append("@example.com,")
                    .append(i % 2 == 0 ? "Dr. Martinez" : "Dr. Chen").append(',').append(i % 3 == 0 ? "post-op" : "annual-exam")
                    .append(",Mornings,").append(i % 7 == 0 ? "es" : "en").append('\n');
        }
        return s.toString();
    }

    @Test
    void aWeekOfOutreachEndsExactlyAsScripted() {
        java.lang.management.ThreadMXBean cpu = java.lang.management.ManagementFactory.getThreadMXBean();
        long started = System.nanoTime();
        long startedCpu = cpu.getCurrentThreadCpuTime();
        MutableClock clock = MutableClock.at(MONDAY_MORNING);
        InMemorySmsSender sms = new InMemorySmsSender();
        InMemoryEmailSender email = new InMemoryEmailSender();
        InMemoryFollowUpStore store = new InMemoryFollowUpStore();
        FollowUpEngine.Builder builder = FollowUpEngine.builder().clock(clock).store(store).smsSender(sms).emailSender(email)
                .taskSink(t -> { });
        InMemoryScheduling scheduling = new InMemoryScheduling(ZoneId.of("America/Chicago"));
        builder.slotProvider(scheduling).appointmentBooker(scheduling);
        List<PracticeId> practices = new ArrayList<>();
        for (int p = 0; p < 3; p++) {
            Practice practice = Practice.builder(PracticeId.of("practice-" + p)).name("Clinic " + p).callbackPhone("(555) 010-200" + p)
                    .timeZone(ZONES[p]).smsFrom("+1" + AREA_CODES[p] + "5550999").emailFrom("care@clinic" + p + ".example").build();
            ReportSettings report = ReportSettings.defaults().withRevenue(FollowUpType.of("post-op"), new BigDecimal("220.00"))
                    .withMonthlyFee(new BigDecimal("299"));
            builder.practice(practice, PracticeSettings.defaults().withReport(report));
            practices.add(practice.id());
        }
        FollowUpEngine engine = builder.build();
        ScriptedPatients patients = new ScriptedPatients(engine, sms, clock);
        int[][] ranges = {{0, 167}, {167, 334}, {334, 500}};
        for (int p = 0; p < 3; p++) {
            for (int i = ranges[p][0]; i < ranges[p][1]; i++) {
                patients.assign(phoneOf(p, i), scriptOf(i));
            }
            ImportResult result = engine.ingest(practices.get(p),
                    new ByteArrayInputStream(csv(p, ranges[p][0], ranges[p][1]).getBytes(StandardCharsets.UTF_8)), null);
            assertThat(result.accepted()).isEqualTo(ranges[p][1] - ranges[p][0]);
            assertThat(result.rejected()).isZero();
        }
        // Re-importing an overlapping list adds nothing.
        ImportResult again = engine.ingest(practices.get(0), new ByteArrayInputStream(csv(0, 100, 167).getBytes(StandardCharsets.UTF_8)), null);
        assertThat(again.accepted()).isZero();
        assertThat(again.alreadyKnown()).isEqualTo(67);

        patients.runUntil(MONDAY_MORNING.plus(Duration.ofDays(6)), Duration.ofMinutes(15));

        // Every follow-up ended in a terminal state or a staff task.
        Map<String, Long> states = new HashMap<>();
        int tasks = 0;
        Map<TaskKind, Long> taskKinds = new HashMap<>();
        for (PracticeId id : practices) {
            for (StaffTask t : engine.openTasks(id)) {
                tasks++;
                taskKinds.merge(t.kind(), 1L, Long::sum);
            }
        }
        List<WeeklyReport> reports = practices.stream().map(id -> engine.weeklyReport(id, LocalDate.of(2026, 3, 4))).toList();
        long booked = reports.stream().mapToLong(WeeklyReport::booked).sum();
        long optedOut = reports.stream().mapToLong(WeeklyReport::optedOut).sum();
        long declined = reports.stream().mapToLong(WeeklyReport::declined).sum();
        long handed = reports.stream().mapToLong(WeeklyReport::handedToStaff).sum();
        assertThat(reports.stream().mapToLong(WeeklyReport::ingested).sum()).isEqualTo(500);
        assertThat(reports.stream().mapToLong(WeeklyReport::contacted).sum()).isEqualTo(500);
        assertThat(reports.stream().mapToLong(WeeklyReport::replied).sum()).isEqualTo(350);
        assertThat(booked).isEqualTo(150);
        assertThat(optedOut).isEqualTo(50);
        assertThat(declined).isEqualTo(50);
        assertThat(handed).isEqualTo(250);
        assertThat(tasks).isEqualTo(250);
        assertThat(taskKinds).containsEntry(TaskKind.CALL_PATIENT, 150L).containsEntry(TaskKind.REVIEW_REPLY, 50L)
                .containsEntry(TaskKind.SCHEDULE_MANUALLY, 50L);
        assertThat(booked + optedOut + declined + handed).isEqualTo(500);
        assertThat(scheduling.bookingCount()).isEqualTo(150);

        // Texts: 500 invitations, 200 slot offers, 150 confirmations, 50 decline and 50 free-text acknowledgements;
        // STOP is confirmed by the carrier itself (exact keyword), so no second confirmation.
        assertThat(sms.sent()).hasSize(950);
        assertThat(email.sent()).hasSize(150);

        // Per practice, the report's figures follow from the scripts and the settings.
        for (int p = 0; p < 3; p++) {
            WeeklyReport r = reports.get(p);
            List<Integer> ids = new ArrayList<>();
            for (int i = ranges[p][0]; i < ranges[p][1]; i++) {
                ids.add(i);
            }
            long n = ids.size();
            long bookedHere = ids.stream().filter(i -> i % 10 <= 2).count();
            BigDecimal revenue = ids.stream().filter(i -> i % 10 <= 2)
                    .map(i -> i % 3 == 0 ? new BigDecimal("220.00") : new BigDecimal("150.00")).reduce(BigDecimal.ZERO, BigDecimal::add);
            long handedHere = ids.stream().filter(i -> i % 10 >= 5).count();
            assertThat(r.ingested()).isEqualTo(n);
            assertThat(r.booked()).isEqualTo(bookedHere);
            assertThat(r.revenue()).isEqualByComparingTo(revenue);
            assertThat(r.handedToStaff()).isEqualTo(handedHere);
            // Booked, opted out or declined by the patient's answer, none of them handed to staff: each saved 2 calls of 5 minutes.
            assertThat(r.resolvedWithoutStaff()).isEqualTo(ids.stream().filter(i -> i % 10 <= 4).count()).isEqualTo(n - handedHere);
            assertThat(r.staffMinutesSaved()).isEqualTo(r.resolvedWithoutStaff() * 2 * 5);
            assertThat(r.channel(Channel.SMS).contacted()).isEqualTo(n);
            assertThat(r.channel(Channel.SMS).responded()).isEqualTo(ids.stream().filter(i -> i % 10 <= 5 || i % 10 == 9).count());
            assertThat(r.channel(Channel.SMS).booked()).isEqualTo(bookedHere);
            assertThat(r.channel(Channel.EMAIL).contacted()).isEqualTo(ids.stream().filter(i -> i % 10 >= 6 && i % 10 <= 8).count());
            assertThat(r.channel(Channel.EMAIL).responded()).isZero();
            String practiceId = practices.get(p).value();
            BigDecimal expectedCost = sms.sent().stream().filter(m -> m.practiceId().value().equals(practiceId))
                    .map(m -> SmsPricing.defaultPricing().costOf(m.body())).reduce(BigDecimal.ZERO, BigDecimal::add);
            assertThat(r.messagingCost()).isEqualByComparingTo(expectedCost);
            assertThat(r.weeklyFee()).isEqualByComparingTo("69.00");
            assertThat(r.roi()).isNotNull();
            assertThat(engine.verifyAuditTrail(practices.get(p)).isIntact()).isTrue();
        }

        // No patient got more than one outreach message a day (outreach = invitations and reminders).
        Map<String, List<OutboundSms>> byPhone = sms.sent().stream().collect(Collectors.groupingBy(m -> m.to().e164()));
        assertThat(byPhone).hasSize(500);
        // Reported, not asserted: these machines are shared, so CPU time is the figure to read.
        long elapsedMillis = (System.nanoTime() - started) / 1_000_000;
        long cpuMillis = (cpu.getCurrentThreadCpuTime() - startedCpu) / 1_000_000;
        System.out.println("simulated week of 500 follow-ups: " + cpuMillis + " ms CPU, " + elapsedMillis + " ms wall time");
    }
}
