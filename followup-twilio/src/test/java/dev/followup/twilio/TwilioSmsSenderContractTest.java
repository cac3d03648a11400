package dev.followup.twilio;

import dev.followup.spi.SmsSender;
import dev.followup.test.contract.SmsSenderContract;
import dev.followup.twilio.TwilioApiStub.Answer;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The Twilio sender keeps the contract every SMS adapter keeps, against the local stub. */
class TwilioSmsSenderContractTest extends SmsSenderContract {
    private static TwilioApiStub stub;
    private static TwilioSmsSender sender;

    @BeforeAll
    static void start() throws IOException {
        stub = new TwilioApiStub();
        sender = TwilioSmsSender.builder()
                .account(dev.followup.practice.PracticeId.of("contract-practice"), TwilioSmsSenderTest.account())
                .publicBaseUrl("https://hooks.example.com")
                .apiBaseUrl(stub.baseUrl())
                .readTimeout(Duration.ofSeconds(5))
                .build();
    }

    @AfterAll
    static void stop() {
        sender.close();
        stub.close();
    }

    @Override
    protected SmsSender sender() {
        return sender;
    }

    @Override
    protected List<ReceivedSms> received() {
        return stub.sends().stream().map(request -> new ReceivedSms(request.form().get("To"), request.form().get("Body"))).toList();
    }

    @Override
    protected void resetProvider() {
        stub.reset();
    }

    @Override
    protected void nextAnswerOptedOut() {
        stub.answerNext(Answer.error(400, 21610));
    }

    @Override
    protected void nextAnswerInvalidNumber() {
        stub.answerNext(Answer.error(400, 21211));
    }

    @Override
    protected void nextAnswerThrottled() {
        stub.answerNext(new Answer(429, "{\"code\":20429,\"message\":\"Too Many Requests\",\"status\":429}", Map.of(), 0));
    }

    @Override
    protected void nextAnswerServerError() {
        stub.answerNext(new Answer(503, "", Map.of(), 0));
    }
}
