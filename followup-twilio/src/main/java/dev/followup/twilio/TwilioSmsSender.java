package dev.followup.twilio;

import com.twilio.exception.ApiException;
import com.twilio.http.TwilioRestClient;
import com.twilio.rest.api.v2010.account.Message;
import com.twilio.rest.api.v2010.account.MessageCreator;
import dev.followup.InvalidConfigurationException;
import dev.followup.InvalidInputException;
import dev.followup.message.DeliveryStatus;
import dev.followup.practice.PracticeId;
import dev.followup.spi.OutboundSms;
import dev.followup.spi.SendResult;
import dev.followup.spi.SmsSender;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends text messages through Twilio's Messages API, one REST client per practice.
 *
 * <p>Each {@link #send} makes exactly one HTTP request: the SDK's retry loop and the HTTP client's
 * automatic retries are switched off, so the engine alone decides whether to try again (after
 * reconciling an ambiguous outcome). Twilio's answer is sorted into a {@link SendResult}:
 * <ul>
 *   <li>201 → {@code ACCEPTED} with the message SID and the initial status (no callback repeats it);</li>
 *   <li>21610 → {@code RECIPIENT_OPTED_OUT};</li>
 *   <li>21211, 21612, 21614, 21408, 21606, 30003–30008 and any other 4xx → {@code PERMANENT_FAILURE};</li>
 *   <li>429, 20429, 21611, 14107, and a failure to connect → {@code TRANSIENT_FAILURE} (nothing was sent);</li>
 *   <li>5xx, a read timeout or a connection lost after the request went out → {@code UNKNOWN};</li>
 *   <li>401/20003 (credentials refused) and 21212/21659/21660 (the sender is not the account's)
 *       → {@link InvalidConfigurationException} naming the practice.</li>
 * </ul>
 *
 * <p>The sender ({@link OutboundSms#from()}) is a phone number, or a Messaging Service when it
 * starts with {@code MG}. When a public base URL is configured, every message carries the status
 * callback {@code {publicBaseUrl}/twilio/status/{practiceId}?attempt={attemptId}}, so that a status
 * settles the right attempt even if the engine never stored the SID. {@code ValidityPeriod} is the
 * message's validity in seconds, clamped to Twilio's 1..36,000; Twilio accepts it on a message
 * sent from a number as well as from a Messaging Service (its error pages 21611 and 30036 name
 * both the API request and the service setting).
 *
 * <p>Nothing of a message's body or numbers is logged or put in a result or exception: ids only.
 * Never calls {@code Twilio.init}: its credentials are process-global, one practice's would leak
 * into another's calls. Thread-safe; close it to release the connection pool.
 *
 * <pre>{@code
 * TwilioSmsSender sender = TwilioSmsSender.builder()
 *         .account(PracticeId.of("p1"), TwilioAccount.builder(sid).authToken(token).build())
 *         .publicBaseUrl("https://followup.example.com/hooks")
 *         .build();
 * }</pre>
 */
public final class TwilioSmsSender implements SmsSender, AutoCloseable {
    /** The longest a message may wait in Twilio's queue: 10 hours. */
    public static final Duration MAX_VALIDITY = Duration.ofSeconds(36_000);

    private static final Logger LOG = LoggerFactory.getLogger(TwilioSmsSender.class);
    private static final Pattern MESSAGE_SID = Pattern.compile("(SM|MM)[0-9a-fA-F]{32}");
    private static final Pattern MESSAGING_SERVICE_SID = Pattern.compile("MG[0-9a-fA-F]{32}");

    private final Map<PracticeId, TwilioRestClient> clients;
    private final @Nullable TwilioRestClient defaultClient;
    private final @Nullable String publicBaseUrl;
    private final SingleAttemptHttpClient transport;

    private TwilioSmsSender(Builder builder) {
        this.publicBaseUrl = builder.publicBaseUrl;
        this.transport = new SingleAttemptHttpClient(builder.connectTimeout, builder.readTimeout, builder.apiBaseUrl, builder.clock);
        Map<PracticeId, TwilioRestClient> byPractice = new HashMap<>();
        builder.accounts.forEach((practiceId, account) -> byPractice.put(practiceId, restClient(account, transport)));
        this.clients = Map.copyOf(byPractice);
        this.defaultClient = builder.defaultAccount == null ? null : restClient(builder.defaultAccount, transport);
    }

    /** @return a builder with no accounts, no public base URL, 5 s connect and 15 s read timeouts */
    public static Builder builder() {
        return new Builder();
    }

    private static TwilioRestClient restClient(TwilioAccount account, SingleAttemptHttpClient transport) {
        String keySid = account.apiKeySid();
        String keySecret = account.apiKeySecret();
        String token = account.authToken();
        TwilioRestClient.Builder builder = keySid != null && keySecret != null
                ? new TwilioRestClient.Builder(keySid, keySecret).accountSid(account.accountSid())
                : new TwilioRestClient.Builder(account.accountSid(), Objects.requireNonNull(token));
        if (account.region() != null) {
            builder.region(account.region());
        }
        if (account.edge() != null) {
            builder.edge(account.edge());
        }
        return builder.httpClient(transport).build();
    }

    /**
     * Sends one message with one HTTP request.
     *
     * @param sms the message
     * @return Twilio's answer, sorted
     * @throws InvalidConfigurationException if the practice has no account here, Twilio refused
     *     its credentials, or the sender is not the account's
     */
    @Override
    public SendResult send(OutboundSms sms) {
        Objects.requireNonNull(sms, "sms");
        TwilioRestClient client = clientOf(sms.practiceId());
        com.twilio.type.PhoneNumber to = new com.twilio.type.PhoneNumber(sms.to().e164());
        MessageCreator creator = isMessagingService(sms.from())
                ? Message.creator(to, sms.from(), sms.body())
                : Message.creator(to, new com.twilio.type.PhoneNumber(sms.from()), sms.body());
        creator.setValidityPeriod(validitySeconds(sms.validity()));
        statusCallbackUrl(sms.practiceId(), sms.attemptId()).ifPresent(creator::setStatusCallback);

        try (SingleAttemptHttpClient.Exchange exchange = transport.begin()) {
            try {
                Message message = creator.create(client);
                return accepted(sms, message);
            } catch (RuntimeException e) {
                return failed(sms, exchange, e);
            }
        }
    }

    private SendResult accepted(OutboundSms sms, Message message) {
        String sid = message.getSid();
        if (sid == null || sid.isBlank()) {
            LOG.warn("Twilio accepted attempt {} of practice {} without a message SID", sms.attemptId(), sms.practiceId());
            return SendResult.unknown(null, "Twilio's answer had no message SID");
        }
        DeliveryStatus status = message.getStatus() == null ? null : DeliveryStatus.parse(message.getStatus().toString()).orElse(null);
        LOG.debug("Twilio accepted attempt {} of practice {} as {} ({})", sms.attemptId(), sms.practiceId(), sid, status);
        return new SendResult(SendResult.Outcome.ACCEPTED, sid, status, null, null, null);
    }

    private SendResult failed(OutboundSms sms, SingleAttemptHttpClient.Exchange exchange, RuntimeException e) {
        Integer code = e instanceof ApiException api ? api.getCode() : null;
        if (exchange.answered()) {
            int status = exchange.statusCode();
            if (status < 400) {
                // Twilio took it but the answer could not be read: it is probably sent.
                LOG.warn("Twilio answered attempt {} of practice {} with HTTP {} but the answer was unreadable ({})",
                        sms.attemptId(), sms.practiceId(), status, e.getClass().getSimpleName());
                return SendResult.unknown(null, "Twilio answered HTTP " + status + " but the answer was unreadable");
            }
            if (TwilioErrors.isAuthenticationFailure(status, code)) {
                throw new InvalidConfigurationException("Twilio refused the credentials of practice " + sms.practiceId()
                        + " (HTTP " + status + (code == null ? "" : ", code " + code) + "): check its account SID, auth token or API key");
            }
            if (TwilioErrors.isSenderMisconfigured(code)) {
                throw new InvalidConfigurationException("Twilio refused the sender of practice " + sms.practiceId()
                        + " (code " + code + "): the 'from' number must belong to the practice's Twilio account");
            }
            SendResult result = TwilioErrors.classify(status, code, exchange.retryAfter());
            LOG.info("Twilio refused attempt {} of practice {}: HTTP {}, code {} -> {}",
                    sms.attemptId(), sms.practiceId(), status, code, result.outcome());
            return result;
        }
        if (exchange.failure() != null && exchange.requestStarted()) {
            LOG.warn("Twilio did not answer attempt {} of practice {} after the request went out ({}): outcome unknown",
                    sms.attemptId(), sms.practiceId(), exchange.failure().getClass().getSimpleName());
            return SendResult.unknown(null, "no answer from Twilio after the request went out (" + exchange.failure().getClass().getSimpleName() + ")");
        }
        String why = exchange.failure() != null ? exchange.failure().getClass().getSimpleName() : e.getClass().getSimpleName();
        LOG.warn("Could not reach Twilio for attempt {} of practice {} ({}): nothing was sent", sms.attemptId(), sms.practiceId(), why);
        return SendResult.transientFailure(null, "could not reach Twilio (" + why + "); nothing was sent", null);
    }

    /**
     * Twilio cannot find a message by our attempt id: the Messages API has no field for it and no
     * idempotency key, and a search by recipient and time would send PHI in a query and could
     * match the wrong message. So this answers empty, and the engine treats an unsettled attempt
     * as sent (a missed text rather than a duplicate). A status callback carries the attempt id
     * and settles the attempt when it arrives.
     *
     * @param practiceId the practice that sent it
     * @param attemptId the attempt id
     * @return always empty
     */
    @Override
    public Optional<SmsSender.ProviderMessage> lookup(PracticeId practiceId, String attemptId) {
        return Optional.empty();
    }

    /**
     * Erases a message's body at Twilio, the documented way: an update of the message with an
     * empty {@code Body}; it works for messages the practice sent and for those it received (a
     * patient's reply). Twilio only redacts a message in a final status and refuses the others.
     * The engine's retention job ({@code FollowUpEngine.purgeExpiredMessageBodies} with
     * {@code redactProviderCopies(true)}) asks for every text past retention, remembers the answer
     * in its store, and asks again on a later run after a refusal or a failure, until Twilio
     * confirms or the engine's bound of tries is reached (audited and logged for an operator).
     *
     * @param practiceId the practice that sent it
     * @param providerMessageId the message SID ({@code SM…} or {@code MM…})
     * @return true if Twilio erased the body, false if it refused or could not be reached
     * @throws InvalidInputException if the id is not a message SID
     * @throws InvalidConfigurationException if the practice has no account here or its credentials were refused
     */
    @Override
    public boolean redact(PracticeId practiceId, String providerMessageId) {
        if (providerMessageId == null || !MESSAGE_SID.matcher(providerMessageId).matches()) {
            throw new InvalidInputException("provider message id to redact for practice " + practiceId + " is not a Twilio message SID");
        }
        TwilioRestClient client = clientOf(practiceId);
        try (SingleAttemptHttpClient.Exchange exchange = transport.begin()) {
            try {
                Message.updater(providerMessageId).setBody("").update(client);
                LOG.debug("Twilio redacted message {} of practice {}", providerMessageId, practiceId);
                return true;
            } catch (RuntimeException e) {
                Integer code = e instanceof ApiException api ? api.getCode() : null;
                if (exchange.answered() && TwilioErrors.isAuthenticationFailure(exchange.statusCode(), code)) {
                    throw new InvalidConfigurationException("Twilio refused the credentials of practice " + practiceId
                            + " (HTTP " + exchange.statusCode() + "): check its account SID, auth token or API key");
                }
                if (exchange.answered() && exchange.statusCode() < 400) {
                    // Updated, but the answer was unreadable: the update itself went through.
                    return true;
                }
                LOG.info("Twilio did not redact message {} of practice {}: HTTP {}, code {}",
                        providerMessageId, practiceId, exchange.statusCode(), code);
                return false;
            }
        }
    }

    /** Closes the shared connection pool; sends after this fail. */
    @Override
    public void close() {
        transport.close();
    }

    /** @return the practices configured, never credentials or message content */
    @Override
    public String toString() {
        return "TwilioSmsSender[practices=" + clients.size() + ", defaultAccount=" + (defaultClient != null) + ", statusCallbacks="
                + (publicBaseUrl != null) + "]";
    }

    /**
     * @param practiceId a practice
     * @return whether this sender has an account to send the practice's texts with: its own, or the
     *     {@linkplain Builder#defaultAccount default} one
     */
    public boolean sendsFor(PracticeId practiceId) {
        return clients.containsKey(practiceId) || defaultClient != null;
    }

    private TwilioRestClient clientOf(PracticeId practiceId) {
        TwilioRestClient client = clients.getOrDefault(practiceId, defaultClient);
        if (client == null) {
            throw new InvalidConfigurationException("no Twilio account is configured for practice " + practiceId);
        }
        return client;
    }

    private Optional<URI> statusCallbackUrl(PracticeId practiceId, String attemptId) {
        if (publicBaseUrl == null) {
            return Optional.empty();
        }
        return Optional.of(URI.create(publicBaseUrl + TwilioWebhooks.STATUS_PATH + practiceId.value()
                + "?" + TwilioWebhooks.ATTEMPT_PARAMETER + "=" + URLEncoder.encode(attemptId, StandardCharsets.UTF_8)));
    }

    private static boolean isMessagingService(String from) {
        if (!from.startsWith("MG")) {
            return false;
        }
        if (!MESSAGING_SERVICE_SID.matcher(from).matches()) {
            throw new InvalidConfigurationException("a sender starting with 'MG' must be a Messaging Service SID: 'MG' followed by 32 hex digits");
        }
        return true;
    }

    /**
     * @param validity how long the message may wait in Twilio's queue
     * @return whole seconds within Twilio's 1..36,000
     */
    static int validitySeconds(Duration validity) {
        long seconds = validity.toSeconds();
        return (int) Math.max(1, Math.min(MAX_VALIDITY.toSeconds(), seconds));
    }

    /** Collects a {@link TwilioSmsSender}'s settings; each is checked when given. */
    public static final class Builder {
        private final Map<PracticeId, TwilioAccount> accounts = new HashMap<>();
        private @Nullable TwilioAccount defaultAccount;
        private @Nullable String publicBaseUrl;
        private @Nullable URI apiBaseUrl;
        private Duration connectTimeout = Duration.ofSeconds(5);
        private Duration readTimeout = Duration.ofSeconds(15);
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        /**
         * Sends a practice's messages through this account (one practice per account, or several
         * practices sharing one).
         *
         * @param practiceId the practice
         * @param account its Twilio account
         * @return this builder
         */
        public Builder account(PracticeId practiceId, TwilioAccount account) {
            Objects.requireNonNull(practiceId, "practiceId");
            Objects.requireNonNull(account, "account");
            accounts.put(practiceId, account);
            return this;
        }

        /**
         * @param accounts practices and their Twilio accounts
         * @return this builder
         */
        public Builder accounts(Map<PracticeId, TwilioAccount> accounts) {
            accounts.forEach(this::account);
            return this;
        }

        /**
         * Sends the messages of every practice without an {@linkplain #account account of its own}
         * through this account: also those of practices the engine learns of after this sender was
         * built (the sender is needed to build the engine, so it cannot list them all beforehand).
         *
         * @param account the account of the practices without one of their own
         * @return this builder
         */
        public Builder defaultAccount(TwilioAccount account) {
            this.defaultAccount = Objects.requireNonNull(account, "account");
            return this;
        }

        /**
         * The externally visible base URL under which the webhook endpoints ({@code /twilio/status/…},
         * {@code /twilio/inbound/…}) are served, e.g. {@code https://followup.example.com/hooks}.
         * Without it, messages carry no status callback (Twilio then uses the Messaging Service's
         * or the number's configured callback, without the attempt id).
         *
         * @param url an absolute http(s) URL without query or fragment
         * @return this builder
         */
        public Builder publicBaseUrl(String url) {
            this.publicBaseUrl = PublicUrls.base(url);
            return this;
        }

        /**
         * Sends every API request to this base instead of Twilio's host, keeping the path: for a
         * local stub of Twilio's API in tests, or an egress gateway. Use {@code localhost}, not
         * {@code 127.0.0.1}: the SDK reads a dotted host's labels as region and edge before this
         * rewrite, and the rewrite keeps only scheme, host and port.
         *
         * @param url an absolute http(s) URL, e.g. {@code http://localhost:8089}
         * @return this builder
         */
        public Builder apiBaseUrl(String url) {
            this.apiBaseUrl = URI.create(PublicUrls.base(url));
            return this;
        }

        /**
         * @param timeout how long to wait for a connection to Twilio; nothing was sent when it expires
         * @return this builder
         */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = positive(timeout, "connect timeout");
            return this;
        }

        /**
         * @param timeout how long to wait for Twilio's answer once the request is sent; when it
         *     expires the outcome is unknown
         * @return this builder
         */
        public Builder readTimeout(Duration timeout) {
            this.readTimeout = positive(timeout, "read timeout");
            return this;
        }

        /**
         * @param clock the clock for Retry-After dates
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * @return the sender
         * @throws InvalidConfigurationException if no account is configured, neither a practice's nor a default one
         */
        public TwilioSmsSender build() {
            if (accounts.isEmpty() && defaultAccount == null) {
                throw new InvalidConfigurationException("TwilioSmsSender needs at least one practice's Twilio account or a default account");
            }
            return new TwilioSmsSender(this);
        }

        private static Duration positive(Duration value, String what) {
            if (value == null || value.isNegative() || value.isZero()) {
                throw new InvalidConfigurationException("Twilio " + what + " must be positive");
            }
            return value;
        }
    }
}
