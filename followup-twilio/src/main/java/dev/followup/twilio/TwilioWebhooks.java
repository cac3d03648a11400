package dev.followup.twilio;

import com.twilio.security.RequestValidator;
import dev.followup.InvalidConfigurationException;
import dev.followup.InvalidInputException;
import dev.followup.conversation.InboundSms;
import dev.followup.message.DeliveryStatus;
import dev.followup.message.DeliveryUpdate;
import dev.followup.patient.PhoneNumber;
import dev.followup.practice.PracticeId;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Twilio's webhooks, for any web framework: the signature is checked first, then the form is
 * parsed into the core's records. The engine applies each record once (by the provider's id) and
 * never moves a status backwards; this class only passes Twilio's ids through faithfully.
 *
 * <p>Endpoints, under the public base URL (the one the sender puts in its status callbacks):
 * <ul>
 *   <li>{@code POST {publicBaseUrl}/twilio/inbound/{practiceId}}: set it as the "A message comes in"
 *       webhook of the practice's number or Messaging Service; answer {@link #EMPTY_TWIML} as
 *       {@value #TWIML_CONTENT_TYPE} (the engine replies, if at all, through the REST API);</li>
 *   <li>{@code POST {publicBaseUrl}/twilio/status/{practiceId}?attempt=…}: set by the sender on
 *       every message; answer 200 with an empty body.</li>
 * </ul>
 * An inbound webhook set without the practice in its path is routed by its {@code To} number
 * through {@link TwilioAccount#phoneNumbers()}; a status callback without it, by its {@code From}.
 *
 * <p>In a Spring controller, one endpoint is three lines (a {@link TwilioSignatureException}
 * handler answers 403; an {@link InvalidInputException}, 400):
 * <pre>{@code
 * @PostMapping(path = "/twilio/inbound/{practiceId}", produces = "text/xml")
 * String inbound(HttpServletRequest request, @RequestParam MultiValueMap<String, String> form,
 *                @RequestHeader(name = "X-Twilio-Signature", required = false) String signature) {
 *     engine.receive(webhooks.inboundSms(TwilioWebhooks.requestUrl(request.getRequestURL(), request.getQueryString()), form, signature));
 *     return TwilioWebhooks.EMPTY_TWIML;
 * }
 * }</pre>
 *
 * <p>Form parameters: the request body's. A map that also holds the query string's parameters
 * (servlet {@code getParameterMap}, Spring's {@code @RequestParam MultiValueMap}) is accepted:
 * a parameter whose name and values are exactly the query string's is left out of the signature,
 * because Twilio signs the URL (with its query) plus the body's parameters only.
 *
 * <p>Hostile input is refused before the signature is computed, as malformed (400, {@link
 * InvalidInputException}): a form value longer than {@value #MAX_VALUE_CHARS} characters (a Twilio
 * message body is at most 1,600), a form larger than {@value #MAX_FORM_CHARS} characters in all,
 * and a name or value with an unpaired surrogate (no decoder of valid UTF-8 produces one, and it
 * would encode to the same bytes as {@code '?'} under the signature). Such a request is never
 * truncated and passed on: nothing of it reaches the engine. Cap the request body in the web
 * framework too (e.g. 64 KiB), so that a huge body is not read into memory at all.
 *
 * <p>Nothing of a message (numbers, body) is logged or put in an exception message.
 */
public final class TwilioWebhooks {
    /** The request header that carries Twilio's signature. */
    public static final String SIGNATURE_HEADER = "X-Twilio-Signature";
    /** The answer to an inbound message when the engine replies later through the REST API (or not at all). */
    public static final String EMPTY_TWIML = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response></Response>";
    /** The content type of {@link #EMPTY_TWIML}. */
    public static final String TWIML_CONTENT_TYPE = "text/xml";
    /** The path of the inbound-message endpoint, followed by the practice id. */
    public static final String INBOUND_PATH = PublicUrls.WEBHOOK_ROOT + "inbound/";
    /** The path of the status-callback endpoint, followed by the practice id. */
    public static final String STATUS_PATH = PublicUrls.WEBHOOK_ROOT + "status/";
    /** The status callback's query parameter that carries the send attempt's id. */
    public static final String ATTEMPT_PARAMETER = "attempt";

    /** The longest form value accepted, in characters; a Twilio message body is at most 1,600. */
    public static final int MAX_VALUE_CHARS = 16_384;
    /** The most characters accepted in all names and values of one form. */
    public static final int MAX_FORM_CHARS = 65_536;

    private static final Logger LOG = LoggerFactory.getLogger(TwilioWebhooks.class);

    private final Map<PracticeId, TwilioAccount> accounts;
    private final Map<PracticeId, RequestValidator> validators;
    private final Map<String, PracticeId> practiceByNumber;
    private final @Nullable String publicBaseUrl;
    private final Clock clock;

    private TwilioWebhooks(Builder builder) {
        this.accounts = Map.copyOf(builder.accounts);
        this.publicBaseUrl = builder.publicBaseUrl;
        this.clock = builder.clock;
        Map<PracticeId, RequestValidator> byPractice = new HashMap<>();
        Map<String, List<String>> practicesByNumber = new HashMap<>();
        accounts.forEach((practiceId, account) -> {
            if (account.authToken() != null) {
                byPractice.put(practiceId, new RequestValidator(account.authToken()));
            } else {
                // Said once at start-up: otherwise the first sign is each of the practice's webhooks failing.
                LOG.warn("webhooks of practice {} cannot be verified and will fail: its Twilio account has no auth token"
                        + " (an API key sends, but Twilio signs webhooks with the auth token)", practiceId);
            }
            account.phoneNumbers().forEach(number -> practicesByNumber.computeIfAbsent(number, k -> new ArrayList<>()).add(practiceId.value()));
        });
        Map<String, PracticeId> byNumber = new HashMap<>();
        practicesByNumber.forEach((number, practices) -> {
            if (practices.size() == 1) {
                byNumber.put(number, PracticeId.of(practices.get(0)));
            } else {
                // A number two practices share cannot route a webhook: those must name the practice in the path.
                warnOfShared(practices);
            }
        });
        this.validators = Map.copyOf(byPractice);
        this.practiceByNumber = Map.copyOf(byNumber);
    }

    /**
     * Said once at start-up, since nothing fails: Twilio sends the replies to a number to the one
     * inbound URL set on it (or on its Messaging Service), which names one practice. Replies meant
     * for the others reach that one, and an opt-out worded for another practice ("please stop
     * texting me") is recorded in that practice's ledger. Practice ids only: the number is left out.
     */
    private static void warnOfShared(List<String> practices) {
        LOG.warn("practices {} share an SMS number: Twilio sends its replies to one inbound webhook URL, so they reach only the"
                + " practice that URL names, and an opt-out in words meant for another is recorded there; give each practice"
                + " a number of its own", practices.stream().sorted().toList());
    }

    /** @return a builder with no accounts, no public base URL and the system UTC clock */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Joins a servlet-style request URL and query string into the URL to pass to this class.
     *
     * @param requestUrl the URL without query, e.g. {@code HttpServletRequest#getRequestURL()}
     * @param queryString the raw query string, or null
     * @return the URL with its query
     */
    public static String requestUrl(CharSequence requestUrl, @Nullable String queryString) {
        Objects.requireNonNull(requestUrl, "requestUrl");
        return queryString == null || queryString.isEmpty() ? requestUrl.toString() : requestUrl + "?" + queryString;
    }

    /**
     * Checks the signature of an inbound-message webhook, then reads the message.
     *
     * @param requestUrl the URL the request arrived at, with its raw query string (absolute; or
     *     only path and query when a public base URL is configured)
     * @param formParameters the request's form parameters
     * @param signature the {@value #SIGNATURE_HEADER} header, or null if absent
     * @return the message, for the engine
     * @throws TwilioSignatureException if the request is not shown to come from Twilio for a
     *     practice served here: answer 403
     * @throws InvalidInputException if a genuine request lacks the message id or a sender number: answer 400
     */
    public InboundSms inboundSms(String requestUrl, Map<String, List<String>> formParameters, @Nullable String signature) {
        Map<String, String> form = bodyParameters(requestUrl, formParameters);
        PracticeId practiceId = practiceOf(requestUrl, INBOUND_PATH, form.get("To"));
        verify(practiceId, requestUrl, form, signature);

        String sid = firstPresent(form, "MessageSid", "SmsSid");
        if (sid == null) {
            throw new InvalidInputException("inbound Twilio webhook for practice " + practiceId + " has no MessageSid");
        }
        String from = form.get("From");
        if (from == null || from.isBlank()) {
            throw new InvalidInputException("inbound Twilio message " + sid + " of practice " + practiceId + " has no sender number");
        }
        PhoneNumber sender;
        try {
            sender = PhoneNumber.ofE164(from.strip());
        } catch (InvalidInputException e) {
            throw new InvalidInputException("inbound Twilio message " + sid + " of practice " + practiceId + " is not from an E.164 phone number", e);
        }
        String body = form.getOrDefault("Body", "");
        LOG.debug("Twilio inbound message {} for practice {}", sid, practiceId);
        return new InboundSms(practiceId, sid, sender, body, clock.instant());
    }

    /**
     * Checks the signature of a status callback, then reads the status.
     *
     * @param requestUrl the URL the request arrived at, with its raw query string (which carries
     *     the {@value #ATTEMPT_PARAMETER} id)
     * @param formParameters the request's form parameters
     * @param signature the {@value #SIGNATURE_HEADER} header, or null if absent
     * @return the update, or empty when the status is one the library does not know (answer 200
     *     all the same, so that Twilio does not repeat it)
     * @throws TwilioSignatureException if the request is not shown to come from Twilio for a
     *     practice served here: answer 403
     * @throws InvalidInputException if a genuine request lacks the message id: answer 400
     */
    public Optional<DeliveryUpdate> statusCallback(String requestUrl, Map<String, List<String>> formParameters, @Nullable String signature) {
        Map<String, String> form = bodyParameters(requestUrl, formParameters);
        PracticeId practiceId = practiceOf(requestUrl, STATUS_PATH, form.get("From"));
        verify(practiceId, requestUrl, form, signature);

        String sid = firstPresent(form, "MessageSid", "SmsSid");
        if (sid == null) {
            throw new InvalidInputException("Twilio status callback for practice " + practiceId + " has no MessageSid");
        }
        String attemptId = queryParameter(requestUrl, ATTEMPT_PARAMETER);
        String rawStatus = firstPresent(form, "MessageStatus", "SmsStatus");
        Optional<DeliveryStatus> status = DeliveryStatus.parse(rawStatus);
        if (status.isEmpty()) {
            // Twilio adds statuses now and then (e.g. partially_delivered); the message's own id
            // and status are not PHI, and the value is cut short for the log.
            LOG.info("Twilio status callback for message {} of practice {} has a status the library does not know: '{}'",
                    sid, practiceId, rawStatus == null ? "" : rawStatus.substring(0, Math.min(32, rawStatus.length())));
            return Optional.empty();
        }
        String errorCode = form.get("ErrorCode");
        errorCode = errorCode == null || errorCode.isBlank() ? null : errorCode.strip();
        return Optional.of(new DeliveryUpdate(practiceId, attemptId, sid, status.get(), errorCode, clock.instant()));
    }

    /**
     * Checks that a request was signed by Twilio with the practice's auth token, for any other
     * Twilio webhook an integrator serves.
     *
     * @param practiceId the practice whose account the request claims to come from
     * @param requestUrl the URL the request arrived at, with its raw query string
     * @param formParameters the request's form parameters
     * @param signature the {@value #SIGNATURE_HEADER} header, or null if absent
     * @throws TwilioSignatureException if it was not: answer 403
     */
    public void verifySignature(PracticeId practiceId, String requestUrl, Map<String, List<String>> formParameters, @Nullable String signature) {
        Objects.requireNonNull(practiceId, "practiceId");
        verify(practiceId, requestUrl, bodyParameters(requestUrl, formParameters), signature);
    }

    /**
     * @param requestUrl the URL a request arrived at
     * @return the URL Twilio called and signed: the request's path from {@code /twilio/} on,
     *     under the public base URL when one is configured
     */
    public String publicUrl(String requestUrl) {
        return PublicUrls.signedUrl(Objects.requireNonNull(requestUrl, "requestUrl"), publicBaseUrl);
    }

    /** @return the practices served and whether a public base URL is set; never a secret */
    @Override
    public String toString() {
        return "TwilioWebhooks[practices=" + accounts.size() + ", publicBaseUrl=" + (publicBaseUrl != null) + "]";
    }

    private void verify(PracticeId practiceId, String requestUrl, Map<String, String> form, @Nullable String signature) {
        TwilioAccount account = accounts.get(practiceId);
        if (account == null) {
            throw reject(practiceId, "no Twilio account is configured for it");
        }
        RequestValidator validator = validators.get(practiceId);
        if (validator == null) {
            throw new InvalidConfigurationException("Twilio account of practice " + practiceId + " has no auth token: its webhook signatures cannot be checked");
        }
        if (signature == null || signature.isBlank()) {
            throw reject(practiceId, "the " + SIGNATURE_HEADER + " header is missing");
        }
        String url = publicUrl(requestUrl);
        if (!url.contains("://")) {
            throw new InvalidConfigurationException("a webhook request URL without scheme and host needs a public base URL (practice " + practiceId + ")");
        }
        if (!validator.validate(url, form, signature.strip())) {
            throw reject(practiceId, "the signature does not match (check the public base URL and the auth token)");
        }
        String accountSid = form.get("AccountSid");
        if (accountSid != null && !accountSid.equals(account.accountSid())) {
            throw reject(practiceId, "it comes from another Twilio account");
        }
    }

    private PracticeId practiceOf(String requestUrl, String pathPrefix, @Nullable String ourNumber) {
        Objects.requireNonNull(requestUrl, "requestUrl");
        String segment = PublicUrls.segmentAfter(requestUrl, pathPrefix);
        if (segment != null) {
            try {
                return PracticeId.of(URLDecoder.decode(segment, StandardCharsets.UTF_8));
            } catch (InvalidInputException | IllegalArgumentException e) {
                throw new TwilioSignatureException("Twilio webhook rejected: its path names no valid practice id");
            }
        }
        PracticeId byNumber = ourNumber == null ? null : practiceByNumber.get(ourNumber.strip());
        if (byNumber == null) {
            throw new TwilioSignatureException("Twilio webhook rejected: neither its path nor its practice number names a practice served here");
        }
        return byNumber;
    }

    private static TwilioSignatureException reject(PracticeId practiceId, String why) {
        LOG.warn("Twilio webhook for practice {} rejected: {}", practiceId, why);
        return new TwilioSignatureException("Twilio webhook for practice " + practiceId + " rejected: " + why);
    }

    /**
     * The parameters Twilio signed: the body's, each with one value. A parameter that also sits
     * in the query string with exactly the same values came from the URL, not the body.
     */
    private static Map<String, String> bodyParameters(String requestUrl, Map<String, List<String>> formParameters) {
        Objects.requireNonNull(requestUrl, "requestUrl");
        Objects.requireNonNull(formParameters, "formParameters");
        checkSize(formParameters);
        Map<String, List<String>> query = queryParameters(requestUrl);
        Map<String, String> form = new LinkedHashMap<>();
        formParameters.forEach((name, values) -> {
            List<String> given = values == null ? List.of() : values;
            if (given.equals(query.get(name))) {
                return;
            }
            if (given.size() > 1) {
                // Twilio's message webhooks never repeat a parameter, and the SDK's validator cannot sign one.
                throw new TwilioSignatureException("Twilio webhook rejected: form parameter '" + safeName(name) + "' is repeated");
            }
            form.put(name, given.isEmpty() || given.get(0) == null ? "" : given.get(0));
        });
        return form;
    }

    /** Refuses a form no genuine Twilio webhook can have, before any work is spent on it (the signature's HMAC). */
    private static void checkSize(Map<String, List<String>> formParameters) {
        long total = 0;
        for (Map.Entry<String, List<String>> parameter : formParameters.entrySet()) {
            String name = parameter.getKey() == null ? "" : parameter.getKey();
            total += name.length();
            checkText(name, name);
            for (String value : parameter.getValue() == null ? List.<String>of() : parameter.getValue()) {
                if (value == null) {
                    continue;
                }
                if (value.length() > MAX_VALUE_CHARS) {
                    throw new InvalidInputException("Twilio webhook rejected: form parameter '" + safeName(name) + "' is too long ("
                            + value.length() + " characters, at most " + MAX_VALUE_CHARS + ")");
                }
                total += value.length();
                checkText(name, value);
            }
            if (total > MAX_FORM_CHARS) {
                throw new InvalidInputException("Twilio webhook rejected: its form is too long (more than " + MAX_FORM_CHARS + " characters)");
            }
        }
    }

    private static void checkText(String name, String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new InvalidInputException("Twilio webhook rejected: form parameter '" + safeName(name)
                        + "' is not valid UTF-16 (an unpaired surrogate)");
            }
        }
    }

    private static String safeName(String name) {
        String cut = name.length() > 40 ? name.substring(0, 40) : name;
        return cut.replaceAll("[^A-Za-z0-9_]", "?");
    }

    private static @Nullable String queryParameter(String url, String name) {
        List<String> values = queryParameters(url).get(name);
        return values == null || values.isEmpty() || values.get(0).isBlank() ? null : values.get(0);
    }

    private static Map<String, List<String>> queryParameters(String url) {
        String query = PublicUrls.rawQuery(url);
        Map<String, List<String>> parameters = new HashMap<>();
        if (query == null || query.isEmpty()) {
            return parameters;
        }
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name = equals < 0 ? pair : pair.substring(0, equals);
            String value = equals < 0 ? "" : pair.substring(equals + 1);
            try {
                parameters.computeIfAbsent(URLDecoder.decode(name, StandardCharsets.UTF_8), key -> new ArrayList<>())
                        .add(URLDecoder.decode(value, StandardCharsets.UTF_8));
            } catch (IllegalArgumentException malformed) {
                // A malformed escape: the parameter cannot be one of ours; leave it in the URL only.
            }
        }
        return parameters;
    }

    private static @Nullable String firstPresent(Map<String, String> form, String name, String fallback) {
        String value = form.get(name);
        if (value == null || value.isBlank()) {
            value = form.get(fallback);
        }
        return value == null || value.isBlank() ? null : value.strip();
    }

    /** Collects a {@link TwilioWebhooks}' settings. */
    public static final class Builder {
        private final Map<PracticeId, TwilioAccount> accounts = new HashMap<>();
        private @Nullable String publicBaseUrl;
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        /**
         * @param practiceId a practice served here
         * @param account its Twilio account; its auth token checks the signatures
         * @return this builder
         */
        public Builder account(PracticeId practiceId, TwilioAccount account) {
            accounts.put(Objects.requireNonNull(practiceId, "practiceId"), Objects.requireNonNull(account, "account"));
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
         * The externally visible base URL of the webhook endpoints, the same one given to the
         * sender. Needed behind a proxy, a load balancer or TLS termination, where the URL the
         * application sees ({@code http://10.0.0.7:8080/twilio/…}) is not the one Twilio called
         * and signed ({@code https://followup.example.com/hooks/twilio/…}).
         *
         * @param url an absolute http(s) URL without query or fragment
         * @return this builder
         */
        public Builder publicBaseUrl(String url) {
            this.publicBaseUrl = PublicUrls.base(url);
            return this;
        }

        /**
         * @param clock stamps {@code receivedAt} and {@code occurredAt}
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * @return the webhooks
         * @throws InvalidConfigurationException if no account is configured
         */
        public TwilioWebhooks build() {
            if (accounts.isEmpty()) {
                throw new InvalidConfigurationException("TwilioWebhooks needs at least one practice's Twilio account");
            }
            return new TwilioWebhooks(this);
        }
    }
}
