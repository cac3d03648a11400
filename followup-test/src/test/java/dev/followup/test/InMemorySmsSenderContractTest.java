package dev.followup.test;

import dev.followup.spi.SendResult;
import dev.followup.spi.SmsSender;
import dev.followup.test.contract.SmsSenderContract;
import java.time.Duration;
import java.util.List;

/** The in-memory sender keeps the contract every SMS adapter keeps. */
class InMemorySmsSenderContractTest extends SmsSenderContract {
    private final InMemorySmsSender sender = new InMemorySmsSender();

    @Override
    protected SmsSender sender() {
        return sender;
    }

    @Override
    protected List<ReceivedSms> received() {
        return sender.sent().stream().map(sms -> new ReceivedSms(sms.to().e164(), sms.body())).toList();
    }

    @Override
    protected void resetProvider() {
        sender.clear();
    }

    @Override
    protected void nextAnswerOptedOut() {
        sender.failNextWith(SendResult.optedOut("21610"));
    }

    @Override
    protected void nextAnswerInvalidNumber() {
        sender.failNextWith(SendResult.permanentFailure("21211", "invalid recipient"));
    }

    @Override
    protected void nextAnswerThrottled() {
        sender.failNextWith(SendResult.transientFailure("20429", "throttled", Duration.ofSeconds(1)));
    }

    @Override
    protected void nextAnswerServerError() {
        sender.failNextWith(SendResult.unknown(null, "server error"));
    }
}
