package dev.followup.examples.boot;

import dev.followup.message.DeliveryStatus;
import dev.followup.spi.OutboundSms;
import dev.followup.spi.SendResult;
import dev.followup.spi.SmsSender;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An SMS sender that sends nothing: it accepts every text and logs that it did, by attempt id and
 * practice only (the number and the text are PHI). In place of Twilio, so that the example runs
 * without credentials; a real deployment configures {@code followup.twilio.*} and drops this bean.
 */
public final class SandboxSmsSender implements SmsSender {
    private static final Logger LOG = LoggerFactory.getLogger(SandboxSmsSender.class);
    private final AtomicInteger accepted = new AtomicInteger();

    @Override
    public SendResult send(OutboundSms sms) {
        accepted.incrementAndGet();
        LOG.info("sandbox SMS: attempt {} of practice {} accepted, not sent ({} characters)", sms.attemptId(), sms.practiceId(),
                sms.body().length());
        return SendResult.accepted("sandbox-" + sms.attemptId(), DeliveryStatus.SENT);
    }

    /** @return how many texts were accepted since start-up */
    public int acceptedCount() {
        return accepted.get();
    }
}
