package dev.followup.engine;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import dev.followup.FollowUpEngine;
import dev.followup.FollowUpException;
import dev.followup.conversation.InboundSms;
import dev.followup.message.DeliveryStatus;
import dev.followup.message.DeliveryUpdate;
import dev.followup.patient.PhoneNumber;
import dev.followup.practice.Practice;
import dev.followup.practice.PracticeId;
import dev.followup.spi.SmsSender;
import dev.followup.spi.SendResult;
import dev.followup.test.InMemoryEmailSender;
import dev.followup.test.InMemoryFollowUpStore;
import dev.followup.test.InMemoryScheduling;
import dev.followup.test.InMemorySmsSender;
import dev.followup.test.MutableClock;
import dev.followup.web.ReportPages;
import dev.followup.web.WebRequest;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Runs a full flow with known PHI — names, phones, emails, MRNs, reply texts — through every path
 * that logs (failed sends, provider exceptions, bad rows, unknown numbers, tasks) with logging at
 * TRACE, and scans everything that was logged and every exception message for that PHI.
 */
class NoPhiInLogsTest {
    private static final List<String> PHI = List.of("Zebulon", "Quixotewright", "Marisol", "Fennimore-Olds", "3125550177", "5550177",
            "3125550188", "zebulon.q@example.org", "marisol.fo@example.org", "MRN-77Q31", "MRN-88F02", "my knee still hurts",
            "Yxolotl", "2125550199");

    @Test
    void noPhiReachesTheLogsOrExceptionMessages() {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        Level before = root.getLevel();
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        root.addAppender(appender);
        root.setLevel(Level.TRACE);
        List<String> exceptionMessages = new ArrayList<>();
        try {
            runFlow(exceptionMessages);
        } finally {
            root.detachAppender(appender);
            root.setLevel(before);
        }
        List<String> logged = new ArrayList<>();
        for (ILoggingEvent e : appender.list) {
            logged.add(e.getFormattedMessage());
            for (IThrowableProxy t = e.getThrowableProxy(); t != null; t = t.getCause()) {
                logged.add(t.getClassName() + ": " + t.getMessage());
            }
        }
        logged.addAll(exceptionMessages);
        assertThat(appender.list).as("the flow logs something, so the scan is meaningful").isNotEmpty();
        for (String line : logged) {
            for (String phi : PHI) {
                assertThat(line).as("log or exception text").doesNotContainIgnoringCase(phi);
            }
        }
    }

    private void runFlow(List<String> exceptionMessages) {
        MutableClock clock = MutableClock.at("2026-03-02T15:00:00Z");
        InMemorySmsSender sms = new InMemorySmsSender();
        int[] calls = {0};
        SmsSender exploding = message -> {
            if (++calls[0] == 2) {
                throw new IllegalStateException("provider exploded while sending to " + message.to().e164() + " the text " + message.body());
            }
            return sms.send(message);
        };
        InMemoryEmailSender email = new InMemoryEmailSender();
        // A foreign store failure whose message echoes the values it was given, as JDBC drivers' do.
        InMemoryFollowUpStore memory = new InMemoryFollowUpStore();
        dev.followup.test.FlakyStore echoingStore = new dev.followup.test.FlakyStore(memory);
        InMemoryScheduling scheduling = new InMemoryScheduling(ZoneId.of("America/Chicago"));
        PracticeId id = PracticeId.of("phi-scan");
        FollowUpEngine engine = FollowUpEngine.builder().clock(clock).store(echoingStore).smsSender(exploding).emailSender(email)
                .slotProvider(scheduling).appointmentBooker(scheduling)
                .practice(Practice.builder(id).name("Scan Clinic").callbackPhone("(555) 010-2000").timeZone("America/Chicago")
                        .smsFrom("+13125550100").emailFrom("care@scan.example").build())
                .build();
        String csv = "MRN,First Name,Last Name,Phone,Email,Provider,Follow-Up Type,Preferred Window,Language\n"
                + "MRN-77Q31,Zebulon,Quixotewright,(312) 555-0177,zebulon.q@example.org,Dr. Who,post-op,Mornings,en\n"
                + "MRN-88F02,Marisol,Fennimore-Olds,312-555-0188,marisol.fo@example.org,Dr. Who,annual,Afternoons,es\n"
                + "MRN-99X,Yxolotl,,not-a-phone,not-an-email,Dr. Who,annual,,en\n"
                + "MRN-98X,Yxolotl,Yxolotl,2125550199,,,annual,sometimes,xx\n";
        engine.ingest(id, new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)), null);
        sms.failNextWith(SendResult.permanentFailure("21211", "invalid number"));
        // The run's first two transactions fail inside the store: its group's decision, then the first follow-up's own.
        echoingStore.failing(n -> n <= 2, () -> new IllegalStateException("duplicate key value (first_name)=(Zebulon) phone=(3125550177)"));
        assertThat(engine.runDueWork().errors()).isEqualTo(1);
        clock.advance(Duration.ofMinutes(10));
        engine.runDueWork();
        PhoneNumber zebulon = PhoneNumber.parse("(312) 555-0177", "US");
        PhoneNumber marisol = PhoneNumber.parse("312-555-0188", "US");
        engine.handleInboundSms(new InboundSms(id, "SM1", zebulon, "my knee still hurts, what should I do?", clock.instant()));
        engine.handleInboundSms(new InboundSms(id, "SM2", marisol, "si", clock.instant()));
        engine.handleInboundSms(new InboundSms(id, "SM3", PhoneNumber.parse("2125550199", "US"), "my knee still hurts", clock.instant()));
        engine.handleInboundSms(new InboundSms(id, "SM3", PhoneNumber.parse("2125550199", "US"), "my knee still hurts", clock.instant()));
        engine.handleDeliveryUpdate(new DeliveryUpdate(id, null, "SM-unknown", DeliveryStatus.UNDELIVERED, "30003", clock.instant()));
        try {
            engine.ingest(id, new ByteArrayInputStream(new byte[0]), null);
        } catch (FollowUpException e) {
            exceptionMessages.add(e.getMessage());
        }
        try {
            PhoneNumber.parse("Zebulon 312555017", "US");
        } catch (FollowUpException e) {
            exceptionMessages.add(e.getMessage());
        }
        for (int day = 0; day < 4; day++) {
            clock.advance(Duration.ofDays(1));
            engine.runDueWork();
        }
        engine.openTasks(id).forEach(t -> exceptionMessages.add(t.toString()));
        engine.taskBoard(id).forEach(c -> exceptionMessages.add(c.toString()));
        exceptionMessages.add(engine.weeklyReport(id, java.time.LocalDate.of(2026, 3, 2)).toString());
        // The board's pages show names and replies to staff; working tasks through them must still log none.
        ReportPages pages = ReportPages.builder(engine).clock(clock).access((user, practice) -> true).build();
        exceptionMessages.add(pages.toString());
        String board = pages.handle(new WebRequest("GET", "/followup/practices/phi-scan/tasks", Map.of(), "jane", "t0k")).body();
        assertThat(board).as("the board shows the patient to staff").contains("Zebulon");
        String task = "/followup/practices/phi-scan/tasks/" + engine.taskBoard(id).get(0).task().id();
        pages.handle(WebRequest.post(task + "/claim", Map.of("csrf", "t0k"), "jane", "t0k"));
        pages.handle(WebRequest.post(task + "/complete", Map.of("csrf", "t0k", "outcome", "BOOKED"), "jane", "t0k"));
        pages.handle(WebRequest.post(task + "/complete", Map.of("csrf", "t0k", "outcome", "BOOKED"), "jane", "t0k"));
    }
}
