package dev.followup.test;

import dev.followup.patient.EmailAddress;
import dev.followup.practice.PracticeId;
import dev.followup.spi.EmailSender;
import dev.followup.spi.OutboundEmail;
import dev.followup.test.contract.EmailSenderContract;
import dev.followup.test.contract.ReceivedEmail;
import java.util.List;

class InMemoryEmailSenderContractTest extends EmailSenderContract {
    private static final EmailAddress BOUNCING = EmailAddress.of("gone@patients.example");

    private final InMemoryEmailSender sender = new InMemoryEmailSender().failAlwaysFor(BOUNCING);

    @Override
    protected EmailSender sender() {
        return sender;
    }

    @Override
    protected PracticeId practiceId() {
        return PracticeId.of("riverside");
    }

    @Override
    protected List<ReceivedEmail> delivered() {
        return sender.sent().stream().map(InMemoryEmailSenderContractTest::received).toList();
    }

    @Override
    protected EmailAddress permanentlyFailingRecipient() {
        return BOUNCING;
    }

    private static ReceivedEmail received(OutboundEmail e) {
        return new ReceivedEmail(InMemoryEmailSender.messageIdFor(e), List.of(e.to().value()), e.subject(), e.textBody(), e.htmlBody());
    }
}
