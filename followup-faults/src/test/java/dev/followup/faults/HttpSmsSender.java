package dev.followup.faults;

import dev.followup.message.DeliveryStatus;
import dev.followup.practice.PracticeId;
import dev.followup.spi.OutboundSms;
import dev.followup.spi.SendResult;
import dev.followup.spi.SmsSender;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A minimal SMS sender for the {@link SmsSink}, usable from a child JVM: one POST per send, and a
 * lookup by attempt id so that recovery after a crash can tell whether the attempt reached the
 * provider.
 */
final class HttpSmsSender implements SmsSender {
    private static final Pattern SID = Pattern.compile("\"sid\":\"([A-Za-z0-9]+)\"");
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final String baseUrl;

    HttpSmsSender(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    @Override
    public SendResult send(OutboundSms sms) {
        String form = "To=" + URLEncoder.encode(sms.to().e164(), StandardCharsets.UTF_8) + "&AttemptId="
                + URLEncoder.encode(sms.attemptId(), StandardCharsets.UTF_8);
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/Accounts/sink/Messages.json")).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)).build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            Matcher sid = SID.matcher(response.body());
            if (response.statusCode() == 201 && sid.find()) {
                return SendResult.accepted(sid.group(1), DeliveryStatus.QUEUED);
            }
            return SendResult.unknown(null, "sink answered " + response.statusCode());
        } catch (IOException e) {
            return SendResult.unknown(null, "no answer from the sink");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return SendResult.unknown(null, "interrupted");
        }
    }

    @Override
    public Optional<ProviderMessage> lookup(PracticeId practiceId, String attemptId) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/attempts/" + attemptId)).timeout(Duration.ofSeconds(5)).GET().build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            Matcher sid = SID.matcher(response.body());
            return response.statusCode() == 200 && sid.find() ? Optional.of(new ProviderMessage(sid.group(1), DeliveryStatus.QUEUED))
                    : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
