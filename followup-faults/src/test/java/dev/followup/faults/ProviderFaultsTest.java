package dev.followup.faults;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.followup.FollowUpEngine;
import dev.followup.RunSummary;
import dev.followup.email.JakartaMailEmailSender;
import dev.followup.email.SmtpSecurity;
import dev.followup.email.SmtpSettings;
import dev.followup.followup.FollowUpState;
import dev.followup.jdbc.JdbiFollowUpStore;
import dev.followup.message.SendRate;
import dev.followup.task.TaskKind;
import dev.followup.test.MutableClock;
import dev.followup.twilio.TwilioAccount;
import dev.followup.twilio.TwilioSmsSender;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/**
 * The SMS provider answers bursts of 429, 5xx and read timeouts (through the real Twilio SDK and
 * adapter, against a local stub), and the SMTP server is gone (its port refuses): every follow-up
 * still ends with a staff task; retries per step are bounded by {@code maxTransientRetries}, counted
 * at the stub; and the backoff between tries is the engine's (5 min, then 10 min), read from the
 * attempts' times on the mutable clock. A 5xx or a timeout is an unknown outcome: counted as sent,
 * never retried (a duplicate text is worse than a missed one).
 */
class ProviderFaultsTest {
    private static final int PATIENTS = 20;
    private static final int MAX_TRIES = 3;
    /** Generous enough that a prompt 429 never times out on a loaded CI machine; the scripted silence is 2.5 s. */
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(1);

    @Test
    void flakySmsAndAVanishedSmtpServerEndInStaffTasksWithBoundedRetriesAndVisibleBackoff() throws Exception {
        MutableClock clock = MutableClock.at(Fixtures.MONDAY_10);
        Map<String, Integer> index = new ConcurrentHashMap<>();
        for (int i = 0; i < PATIENTS; i++) {
            index.put(Fixtures.phone(i).e164(), i);
        }
        int refusingPort;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            refusingPort = probe.getLocalPort();
        }
        try (SmsSink sink = new SmsSink();
                HikariDataSource dataSource = Fixtures.pool(Postgres.shared().newDatabase(), 4, Duration.ofSeconds(5))) {
            // Patient i, by i % 4: 429 on every try; 503; no answer within the read timeout; 429 twice, then accepted.
            sink.script(send -> {
                int seen = sink.sendsTo(send.to());
                return switch (index.get(send.to()) % 4) {
                    case 0 -> new SmsSink.Answer(429, 0);
                    case 1 -> new SmsSink.Answer(503, 0);
                    case 2 -> new SmsSink.Answer(201, 2_500);
                    default -> seen <= 2 ? new SmsSink.Answer(429, 0) : SmsSink.Answer.ACCEPT;
                };
            });
            TwilioSmsSender sms = TwilioSmsSender.builder()
                    .account(Fixtures.PRACTICE, TwilioAccount.builder("AC" + "0123456789abcdef".repeat(2)).authToken("token").build())
                    .apiBaseUrl(sink.baseUrl()).connectTimeout(Duration.ofSeconds(1)).readTimeout(READ_TIMEOUT).clock(clock).build();
            JakartaMailEmailSender email = JakartaMailEmailSender.builder()
                    .practice(Fixtures.PRACTICE, SmtpSettings.builder("localhost").port(refusingPort).security(SmtpSecurity.PLAIN_INSECURE)
                            .heloName("faults.followup.example").connectTimeout(Duration.ofSeconds(1)).readTimeout(Duration.ofSeconds(1)).build())
                    .allowInsecureSettingsForTesting().clock(clock).build();
            JdbiFollowUpStore store = Fixtures.store(dataSource);
            FollowUpEngine engine = FollowUpEngine.builder().clock(clock).store(store).smsSender(sms).emailSender(email)
                    .practice(Fixtures.practice()).maxTransientRetries(MAX_TRIES).sendRate(Fixtures.SMS_FROM, SendRate.perSecond(10_000))
                    .pacingSleeper(d -> { }).build();
            engine.ingest(Fixtures.PRACTICE, Fixtures.csv(PATIENTS), null);
            long started = System.nanoTime();

            // Run, then jump the clock to the next moment anything is due, until nothing is active.
            RunSummary total = RunSummary.EMPTY;
            int runs = 0;
            Jdbi jdbi = Jdbi.create(dataSource);
            for (; runs < 200; runs++) {
                total = total.plus(engine.runDueWork());
                Optional<OffsetDateTime> next = jdbi.withHandle(h -> h.createQuery("SELECT MIN(next_action_at) FROM followup_follow_up"
                        + " WHERE state IN ('PENDING', 'CONTACTING', 'ENGAGED')").mapTo(OffsetDateTime.class).findOne());
                if (next.isEmpty() || next.get() == null) {
                    break;
                }
                Instant due = next.get().toInstant();
                clock.set(due.isAfter(clock.instant()) ? due : clock.instant().plusSeconds(1));
            }
            double seconds = (System.nanoTime() - started) / 1e9;

            // At the stub: never more than MAX_TRIES sends per patient for the SMS step; 5xx and timeouts once.
            Map<String, Long> perPhone = sink.sends().stream().collect(Collectors.groupingBy(SmsSink.Send::to, Collectors.counting()));
            for (int i = 0; i < PATIENTS; i++) {
                long expected = switch (i % 4) {
                    case 0, 3 -> MAX_TRIES;
                    default -> 1;
                };
                assertThat(perPhone.get(Fixtures.phone(i).e164())).as("sends to patient " + i).isEqualTo(expected);
            }
            // In the store: every follow-up with staff, a call task each; at most MAX_TRIES attempts per step.
            assertThat(Fixtures.count(dataSource, "SELECT COUNT(*) FROM followup_follow_up WHERE state <> '"
                    + FollowUpState.HANDED_TO_STAFF + "'")).isZero();
            assertThat(engine.openTasks(Fixtures.PRACTICE)).hasSize(PATIENTS).allMatch(t -> t.kind() == TaskKind.CALL_PATIENT);
            assertThat(Fixtures.count(dataSource, "SELECT COUNT(*) FROM (SELECT follow_up_id, step FROM followup_send_attempt"
                    + " GROUP BY follow_up_id, step HAVING COUNT(*) > " + MAX_TRIES + ") x")).isZero();
            assertThat(Fixtures.count(dataSource, "SELECT COUNT(*) FROM followup_send_attempt WHERE channel = 'EMAIL'"))
                    .isEqualTo((long) MAX_TRIES * PATIENTS);
            assertThat(Fixtures.count(dataSource, "SELECT COUNT(*) FROM followup_send_attempt WHERE state = 'PENDING'")).isZero();

            // Backoff: the tries of one step are 5 min, then 10 min apart on the clock.
            List<Map<String, Object>> gaps = jdbi.withHandle(h -> h.createQuery("SELECT follow_up_id, step, channel, attempt_number,"
                    + " EXTRACT(EPOCH FROM created_at - LAG(created_at) OVER (PARTITION BY follow_up_id, step ORDER BY attempt_number)) AS gap"
                    + " FROM followup_send_attempt ORDER BY follow_up_id, step, attempt_number").mapToMap().list());
            List<Long> retryGaps = gaps.stream().filter(g -> g.get("gap") != null)
                    .map(g -> ((Number) g.get("gap")).longValue()).toList();
            assertThat(retryGaps).isNotEmpty();
            for (Map<String, Object> g : gaps) {
                if (g.get("gap") != null) {
                    int attempt = ((Number) g.get("attempt_number")).intValue();
                    long expected = Duration.ofMinutes(5L << (attempt - 2)).toSeconds();
                    assertThat(((Number) g.get("gap")).longValue()).as("gap before try " + attempt + " of " + g).isEqualTo(expected);
                }
            }
            System.out.printf("provider faults: %d follow-ups, %d runs, %d SMS requests at the stub (%d patients x 429 x %d, %d x 503, %d x timeout,"
                    + " %d x 429,429,201), %d email attempts refused, %d retry gaps (5 min, 10 min); %s; %.1f s%n", PATIENTS, runs,
                    sink.sends().size(), PATIENTS / 4, MAX_TRIES, PATIENTS / 4, PATIENTS / 4, PATIENTS / 4, MAX_TRIES * PATIENTS,
                    retryGaps.size(), total, seconds);
            sms.close();
        }
    }
}
