package dev.followup.examples.boot;

import dev.followup.message.DeliveryStatus;
import dev.followup.spi.EmailSender;
import dev.followup.spi.OutboundEmail;
import dev.followup.spi.SendResult;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An email sender that sends nothing: it accepts every email and logs that it did, by attempt id
 * and practice only. In place of SMTP, so that the example runs without a mail server; a real
 * deployment sets {@code spring.mail.host} (or {@code followup.email.*}) and drops this bean.
 */
public final class SandboxEmailSender implements EmailSender {
    private static final Logger LOG = LoggerFactory.getLogger(SandboxEmailSender.class);
    private final AtomicInteger accepted = new AtomicInteger();

    @Override
    public SendResult send(OutboundEmail email) {
        accepted.incrementAndGet();
        LOG.info("sandbox email: attempt {} of practice {} accepted, not sent", email.attemptId(), email.practiceId());
        return SendResult.accepted("sandbox-" + email.attemptId(), DeliveryStatus.SENT);
    }

    /** @return how many emails were accepted since start-up */
    public int acceptedCount() {
        return accepted.get();
    }
}
