package dev.followup.twilio;

import static dev.followup.twilio.TwilioSmsSenderTest.P1;
import static org.assertj.core.api.Assertions.assertThat;

import dev.followup.practice.PracticeId;
import dev.followup.twilio.TwilioApiStub.Answer;
import dev.followup.twilio.TwilioRedactionJob.MessageRef;
import dev.followup.twilio.TwilioRedactionJob.Report;
import java.io.IOException;
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
}
