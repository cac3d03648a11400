package dev.followup.twilio;

import static dev.followup.twilio.TwilioSmsSenderTest.P1;
import static org.assertj.core.api.Assertions.assertThat;

import dev.followup.FollowUpEngine;
import dev.followup.conversation.InboundSms;
import dev.followup.patient.PhoneNumber;
import dev.followup.practice.BusinessCalendar;
import dev.followup.practice.Practice;
import dev.followup.practice.PracticeId;
import dev.followup.practice.SendWindow;
import dev.followup.test.InMemoryFollowUpStore;
import dev.followup.test.MutableClock;
import dev.followup.twilio.TwilioApiStub.Answer;
import dev.followup.twilio.TwilioRedactionJob.MessageRef;
import dev.followup.twilio.TwilioRedactionJob.Report;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class TwilioRedactionJobTest {
    @Test
    void redactsEachMessageOnceAndReportsTheOnesToTryAgain() throws IOException {
        try (TwilioApiStub stub = new TwilioApiStub();
                TwilioSmsSender sender = TwilioSmsSender.builder().account(P1, TwilioSmsSenderTest.account()).apiBaseUrl(stub.baseUrl()).build()) {
            MessageRef first = new MessageRef(P1, "SM" + "01".repeat(16));
            MessageRef refused = new MessageRef(P1, "SM" + "02".repeat(16));
            MessageRef third = new MessageRef(P1, "SM" + "03".repeat(16));
            MessageRef unknownPractice = new MessageRef(PracticeId.of("gone"), "SM" + "04".repeat(16));
            MessageRef badId = new MessageRef(P1, "not-a-sid");
            stub.answerNext(new Answer(200, "{\"sid\":\"" + first.providerMessageId() + "\",\"body\":\"\"}", java.util.Map.of(), 0));
            stub.answerNext(Answer.error(400, 20009));

            Report report = new TwilioRedactionJob(sender).run(List.of(first, refused, third, unknownPractice, badId));

            assertThat(report.redacted()).isEqualTo(2);
            assertThat(report.failed()).isEqualTo(3);
            assertThat(report.notRedacted()).containsExactly(refused, unknownPractice, badId);
            assertThat(stub.received()).hasSize(3);
        }
    }

    /**
     * The engine's retention job through the real Twilio SDK against the stub: the practice's texts
     * and the patient's reply are all redacted (an update with an empty Body per SID), a refusal is
     * asked for again the next day and then confirmed, and nothing is asked for twice.
     */
    @Test
    void theEnginesPurgeRedactsSentAndReceivedTextsAndAsksForARefusedOneAgainOnTheNextRun() throws IOException {
        MutableClock clock = MutableClock.at("2026-03-02T16:00:00Z");
        try (TwilioApiStub stub = new TwilioApiStub();
                TwilioSmsSender sender = TwilioSmsSender.builder().account(P1, TwilioSmsSenderTest.account()).apiBaseUrl(stub.baseUrl()).build()) {
            Practice practice = Practice.builder(P1).name("Stub Clinic").callbackPhone("(201) 555-0199").timeZone(ZoneId.of("America/Chicago"))
                    .smsFrom(TwilioSmsSenderTest.FROM)
                    .sendWindow(SendWindow.of(EnumSet.allOf(DayOfWeek.class), LocalTime.of(8, 0), LocalTime.of(21, 0)))
                    .calendar(BusinessCalendar.none()).build();
            InMemoryFollowUpStore store = new InMemoryFollowUpStore();
            FollowUpEngine engine = FollowUpEngine.builder().clock(clock).store(store).smsSender(sender).practice(practice)
                    .redactProviderCopies(true).build();
            engine.ingest(P1, new ByteArrayInputStream(("MRN,First Name,Last Name,Phone,Email,Provider,Follow-Up Type\n"
                    + "T1,Pat,Stub,+12015550201,,Dr. Stub,annual\n").getBytes(StandardCharsets.UTF_8)), null);
            engine.runDueWork();
            clock.advance(Duration.ofHours(1));
            String replySid = "SM" + "5e".repeat(16);
            engine.handleInboundSms(new InboundSms(P1, replySid, PhoneNumber.ofE164("+12015550201"), "Can you call me after work?",
                    clock.instant()));
            int sent = stub.sends().size();
            assertThat(sent).as("the invitation, at least").isPositive();
            stub.reset();

            clock.advance(Duration.ofDays(31));
            stub.answerNext(Answer.error(400, 20009));
            engine.purgeExpiredMessageBodies();

            List<String> firstRun = redactedSids(stub);
            assertThat(firstRun).as("each sent text and the reply, once").hasSize(sent + 1).doesNotHaveDuplicates().contains(replySid);
            assertThat(stub.received()).allSatisfy(r -> assertThat(r.form()).containsEntry("Body", ""));
            String refused = firstRun.get(0);

            stub.reset();
            clock.advance(Duration.ofDays(1));
            engine.purgeExpiredMessageBodies();
            assertThat(redactedSids(stub)).as("only the refused one, the next day").containsExactly(refused);

            stub.reset();
            clock.advance(Duration.ofDays(1));
            engine.purgeExpiredMessageBodies();
            assertThat(stub.received()).as("every copy confirmed: nothing asked again").isEmpty();
            assertThat(engine.verifyAuditTrail(P1).isIntact()).isTrue();
        }
    }

    private static List<String> redactedSids(TwilioApiStub stub) {
        return stub.received().stream().filter(r -> r.method().equals("POST") && r.path().contains("/Messages/"))
                .map(r -> r.path().substring(r.path().lastIndexOf('/') + 1).replace(".json", "")).toList();
    }
}
