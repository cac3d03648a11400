package dev.followup.spring;

import dev.followup.task.TaskKind;
import java.math.BigDecimal;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.NestedConfigurationProperty;

/**
 * Everything the starter reads from {@code followup.*}. Each setting is applied through the same
 * builders a developer would call in code ({@code FollowUpEngine.builder()}, {@code Practice.builder},
 * {@code EscalationPolicy.named}), so the same checks and messages apply; a
 * {@link FollowUpEngineCustomizer} bean can change anything afterwards.
 *
 * <p>Field comments become the descriptions in the generated configuration metadata, so they are
 * written as plain text.
 */
@ConfigurationProperties(prefix = "followup")
public class FollowUpProperties {
    /** Whether the Followup auto-configuration is on; false switches off every bean of the starter. */
    private boolean enabled = true;

    /** The engine and its scheduler. */
    @NestedConfigurationProperty
    private final Engine engine = new Engine();

    /** The JDBC store on the application's DataSource. */
    @NestedConfigurationProperty
    private final Jdbc jdbc = new Jdbc();

    /** The data-encryption keys that protect PHI at rest. */
    @NestedConfigurationProperty
    private final Encryption encryption = new Encryption();

    /** Twilio: accounts, the public base URL and the webhook endpoints. */
    @NestedConfigurationProperty
    private final Twilio twilio = new Twilio();

    /** SMTP for the email steps; host, port, username and password default to spring.mail.*. */
    @NestedConfigurationProperty
    private final Email email = new Email();

    /** The actuator health indicator. */
    @NestedConfigurationProperty
    private final Health health = new Health();

    /** The Micrometer meters. */
    @NestedConfigurationProperty
    private final Metrics metrics = new Metrics();

    /** The weekly report and staff task board pages; served only when the application has a PracticeAccess bean. */
    @NestedConfigurationProperty
    private final Web web = new Web();

    /**
     * The practices (tenants), in addition to any Practice beans. Each entry has id, name,
     * callback-phone, time-zone (IANA, e.g. America/Chicago), sms-from (E.164 number or Twilio
     * messaging service SID), email-from, send-window (days, start, end), closed-days, phone-region,
     * carrier-answers-exact-keywords, visit-type-in-messages, contact-limits (per-day, per-week),
     * default-policy, policies-by-type (follow-up type code to policy name), send-rate (per-second,
     * per-day) and report (default-revenue, monthly-fee).
     */
    private List<Practice> practices = new ArrayList<>();

    /**
     * Escalation policies by name, in addition to any EscalationPolicy beans; a policy named
     * standard replaces the built-in one. Each has steps (a list; each step one of sms, email or
     * staff-task, and after, the delay since the previous step, for every step but the first),
     * within, send-window, close-after, on-yes (offer-slots or staff-task) and choice-timeout.
     */
    private Map<String, Policy> policies = new LinkedHashMap<>();

    /** @return whether the auto-configuration is on */
    public boolean isEnabled() {
        return enabled;
    }

    /** @param enabled whether the auto-configuration is on */
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    /** @return the engine settings */
    public Engine getEngine() {
        return engine;
    }

    /** @return the JDBC store settings */
    public Jdbc getJdbc() {
        return jdbc;
    }

    /** @return the encryption keys */
    public Encryption getEncryption() {
        return encryption;
    }

    /** @return the Twilio settings */
    public Twilio getTwilio() {
        return twilio;
    }

    /** @return the SMTP settings */
    public Email getEmail() {
        return email;
    }

    /** @return the health indicator settings */
    public Health getHealth() {
        return health;
    }

    /** @return the metrics settings */
    public Metrics getMetrics() {
        return metrics;
    }

    /** @return the report and task board pages settings */
    public Web getWeb() {
        return web;
    }

    /** @return the practices configured by properties */
    public List<Practice> getPractices() {
        return practices;
    }

    /** @param practices the practices configured by properties */
    public void setPractices(List<Practice> practices) {
        this.practices = practices;
    }

    /** @return the policies configured by properties, by name */
    public Map<String, Policy> getPolicies() {
        return policies;
    }

    /** @param policies the policies configured by properties, by name */
    public void setPolicies(Map<String, Policy> policies) {
        this.policies = policies;
    }

    /** The engine and the scheduler that runs its due work. */
    public static class Engine {
        /** This node's id, unique among engines sharing a database (letters, digits, '.', '_', ':' or '-'); a random one when unset. */
        private @Nullable String nodeId;

        /** Whether the starter runs the engine's due work on a schedule; off for a node that only serves webhooks. */
        private boolean schedulerEnabled = true;

        /** How long the scheduler waits between the end of one run of due work and the start of the next. */
        private Duration pollInterval = Duration.ofSeconds(30);

        /** Runs of due work on this node at once, each on a thread of its own, 1 to 64: a run hands its texts to the provider one after another, so a node sends about this many texts per provider round trip. */
        private int workers = 4;

        /** How long a shutdown waits for the run in flight; follow-ups still claimed after that keep their lease and are taken up later. */
        private Duration shutdownTimeout = Duration.ofSeconds(20);

        /** How often message bodies older than the retention period are erased. */
        private Duration purgeInterval = Duration.ofHours(1);

        /** Follow-ups claimed at once, 1 to 10,000. */
        private int batchSize = 100;

        /** How long a claim is held before another node may take it over, at least 5 seconds. */
        private Duration lease = Duration.ofMinutes(5);

        /** Tries of a step after transient provider failures before its channel counts as failed, 1 to 20. */
        private int maxTransientRetries = 3;

        /** How long message bodies are kept, at least one day. */
        private Duration retention = Duration.ofDays(30);

        /** Whether the retention purge also asks the SMS provider to erase its copies of old texts. */
        private boolean redactProviderCopies = false;

        /** How often a copy the SMS provider keeps is asked for before it is given up on (audited), 1 to 50. */
        private int providerRedactionTries = dev.followup.FollowUpEngine.DEFAULT_PROVIDER_REDACTION_TRIES;

        /** @return the node id, or null for a random one */
        public @Nullable String getNodeId() {
            return nodeId;
        }

        /** @param nodeId the node id */
        public void setNodeId(@Nullable String nodeId) {
            this.nodeId = nodeId;
        }

        /** @return whether the scheduler runs */
        public boolean isSchedulerEnabled() {
            return schedulerEnabled;
        }

        /** @param schedulerEnabled whether the scheduler runs */
        public void setSchedulerEnabled(boolean schedulerEnabled) {
            this.schedulerEnabled = schedulerEnabled;
        }

        /** @return the pause between runs */
        public Duration getPollInterval() {
            return pollInterval;
        }

        /** @param pollInterval the pause between runs */
        public void setPollInterval(Duration pollInterval) {
            this.pollInterval = pollInterval;
        }

        /** @return runs of due work at once */
        public int getWorkers() {
            return workers;
        }

        /** @param workers runs of due work at once, 1 to 64 */
        public void setWorkers(int workers) {
            this.workers = workers;
        }

        /** @return how long a shutdown waits for the run in flight */
        public Duration getShutdownTimeout() {
            return shutdownTimeout;
        }

        /** @param shutdownTimeout how long a shutdown waits for the run in flight */
        public void setShutdownTimeout(Duration shutdownTimeout) {
            this.shutdownTimeout = shutdownTimeout;
        }

        /** @return how often old message bodies are erased */
        public Duration getPurgeInterval() {
            return purgeInterval;
        }

        /** @param purgeInterval how often old message bodies are erased */
        public void setPurgeInterval(Duration purgeInterval) {
            this.purgeInterval = purgeInterval;
        }

        /** @return follow-ups claimed at once */
        public int getBatchSize() {
            return batchSize;
        }

        /** @param batchSize follow-ups claimed at once */
        public void setBatchSize(int batchSize) {
            this.batchSize = batchSize;
        }

        /** @return how long a claim is held */
        public Duration getLease() {
            return lease;
        }

        /** @param lease how long a claim is held */
        public void setLease(Duration lease) {
            this.lease = lease;
        }

        /** @return tries after transient failures */
        public int getMaxTransientRetries() {
            return maxTransientRetries;
        }

        /** @param maxTransientRetries tries after transient failures */
        public void setMaxTransientRetries(int maxTransientRetries) {
            this.maxTransientRetries = maxTransientRetries;
        }

        /** @return how long message bodies are kept */
        public Duration getRetention() {
            return retention;
        }

        /** @param retention how long message bodies are kept */
        public void setRetention(Duration retention) {
            this.retention = retention;
        }

        /** @return whether the purge asks the SMS provider to erase its copies */
        public boolean isRedactProviderCopies() {
            return redactProviderCopies;
        }

        /** @param redactProviderCopies whether the purge asks the SMS provider to erase its copies */
        public void setRedactProviderCopies(boolean redactProviderCopies) {
            this.redactProviderCopies = redactProviderCopies;
        }

        /** @return how often a copy the provider keeps is asked for before it is given up on */
        public int getProviderRedactionTries() {
            return providerRedactionTries;
        }

        /** @param providerRedactionTries how often a copy the provider keeps is asked for, 1 to 50 */
        public void setProviderRedactionTries(int providerRedactionTries) {
            this.providerRedactionTries = providerRedactionTries;
        }
    }

    /** The JDBC store. */
    public static class Jdbc {
        /** Whether the library's own Flyway migrations (history table followup_schema_history) run at start-up. */
        private boolean migrate = true;

        /** @return whether migrations run at start-up */
        public boolean isMigrate() {
            return migrate;
        }

        /** @param migrate whether migrations run at start-up */
        public void setMigrate(boolean migrate) {
            this.migrate = migrate;
        }
    }

    /** The data-encryption keys. */
    public static class Encryption {
        /** Keys by id (1 to 32 letters, digits, '.', '_' or '-'), each 32 random bytes in base64, e.g. from openssl rand -base64 32. Keep every key still needed to read stored data. */
        private Map<String, String> keys = new LinkedHashMap<>();

        /** The id of the key new values are encrypted with. */
        private @Nullable String currentKey;

        /** The id of the key that keys the phone-number and identity lookups; it must never change, so keep it out of rotation. */
        private String lookupKey = "lookup";

        /** Generate throw-away keys at start-up when none are configured: data written cannot be read after a restart. For demos only; logged as a warning. */
        private boolean allowEphemeralKeys = false;

        /** @return the keys by id, base64 */
        public Map<String, String> getKeys() {
            return keys;
        }

        /** @param keys the keys by id, base64 */
        public void setKeys(Map<String, String> keys) {
            this.keys = keys;
        }

        /** @return the current key's id */
        public @Nullable String getCurrentKey() {
            return currentKey;
        }

        /** @param currentKey the current key's id */
        public void setCurrentKey(@Nullable String currentKey) {
            this.currentKey = currentKey;
        }

        /** @return the lookup key's id */
        public String getLookupKey() {
            return lookupKey;
        }

        /** @param lookupKey the lookup key's id */
        public void setLookupKey(String lookupKey) {
            this.lookupKey = lookupKey;
        }

        /** @return whether throw-away keys may be generated */
        public boolean isAllowEphemeralKeys() {
            return allowEphemeralKeys;
        }

        /** @param allowEphemeralKeys whether throw-away keys may be generated */
        public void setAllowEphemeralKeys(boolean allowEphemeralKeys) {
            this.allowEphemeralKeys = allowEphemeralKeys;
        }
    }

    /**
     * Twilio. The account given directly here (the fields it shares with {@link Account}) serves every
     * practice that texts and has no entry of its own under accounts.
     */
    public static class Twilio extends Account {
        /** The externally visible base URL under which the webhook endpoints are reached, e.g. https://followup.example.com/hooks; signatures are checked against it, and sent messages carry status callbacks under it. */
        private @Nullable String publicBaseUrl;

        /** A path prefix for the webhook endpoints in this application, e.g. /hooks for /hooks/twilio/inbound/{practiceId}. */
        private String webhookPathPrefix = "";

        /** Whether the webhook endpoints are served (needs Spring MVC). */
        private boolean webhooksEnabled = true;

        /** Sends every API request to this base instead of Twilio's host: a local stub in tests, or an egress gateway. */
        private @Nullable String apiBaseUrl;

        /** How long to wait for a connection to Twilio. */
        private Duration connectTimeout = Duration.ofSeconds(5);

        /** How long to wait for Twilio's answer once a request is sent. */
        private Duration readTimeout = Duration.ofSeconds(15);

        /** Accounts by practice id, for practices that do not use the default account. */
        private Map<String, Account> accounts = new LinkedHashMap<>();

        /** @return the public base URL */
        public @Nullable String getPublicBaseUrl() {
            return publicBaseUrl;
        }

        /** @param publicBaseUrl the public base URL */
        public void setPublicBaseUrl(@Nullable String publicBaseUrl) {
            this.publicBaseUrl = publicBaseUrl;
        }

        /** @return the webhook path prefix */
        public String getWebhookPathPrefix() {
            return webhookPathPrefix;
        }

        /** @param webhookPathPrefix the webhook path prefix */
        public void setWebhookPathPrefix(String webhookPathPrefix) {
            this.webhookPathPrefix = webhookPathPrefix;
        }

        /** @return whether the webhook endpoints are served */
        public boolean isWebhooksEnabled() {
            return webhooksEnabled;
        }

        /** @param webhooksEnabled whether the webhook endpoints are served */
        public void setWebhooksEnabled(boolean webhooksEnabled) {
            this.webhooksEnabled = webhooksEnabled;
        }

        /** @return the API base URL override */
        public @Nullable String getApiBaseUrl() {
            return apiBaseUrl;
        }

        /** @param apiBaseUrl the API base URL override */
        public void setApiBaseUrl(@Nullable String apiBaseUrl) {
            this.apiBaseUrl = apiBaseUrl;
        }

        /** @return the connect timeout */
        public Duration getConnectTimeout() {
            return connectTimeout;
        }

        /** @param connectTimeout the connect timeout */
        public void setConnectTimeout(Duration connectTimeout) {
            this.connectTimeout = connectTimeout;
        }

        /** @return the read timeout */
        public Duration getReadTimeout() {
            return readTimeout;
        }

        /** @param readTimeout the read timeout */
        public void setReadTimeout(Duration readTimeout) {
            this.readTimeout = readTimeout;
        }

        /** @return accounts by practice id */
        public Map<String, Account> getAccounts() {
            return accounts;
        }

        /** @param accounts accounts by practice id */
        public void setAccounts(Map<String, Account> accounts) {
            this.accounts = accounts;
        }
    }

    /** A Twilio account: the default one (followup.twilio.*) or one practice's own (followup.twilio.accounts.<id>.*). */
    public static class Account {
        /** The account SID (AC followed by 32 hex digits). */
        private @Nullable String accountSid;

        /** The auth token: REST calls without an API key, and webhook signatures. */
        private @Nullable String authToken;

        /** An API key SID (SK followed by 32 hex digits), for REST calls. */
        private @Nullable String apiKeySid;

        /** The API key's secret. */
        private @Nullable String apiKeySecret;

        /** The processing region, e.g. ie1. */
        private @Nullable String region;

        /** The edge location, e.g. dublin. */
        private @Nullable String edge;

        /** @return the account SID */
        public @Nullable String getAccountSid() {
            return accountSid;
        }

        /** @param accountSid the account SID */
        public void setAccountSid(@Nullable String accountSid) {
            this.accountSid = accountSid;
        }

        /** @return the auth token */
        public @Nullable String getAuthToken() {
            return authToken;
        }

        /** @param authToken the auth token */
        public void setAuthToken(@Nullable String authToken) {
            this.authToken = authToken;
        }

        /** @return the API key SID */
        public @Nullable String getApiKeySid() {
            return apiKeySid;
        }

        /** @param apiKeySid the API key SID */
        public void setApiKeySid(@Nullable String apiKeySid) {
            this.apiKeySid = apiKeySid;
        }

        /** @return the API key secret */
        public @Nullable String getApiKeySecret() {
            return apiKeySecret;
        }

        /** @param apiKeySecret the API key secret */
        public void setApiKeySecret(@Nullable String apiKeySecret) {
            this.apiKeySecret = apiKeySecret;
        }

        /** @return the region */
        public @Nullable String getRegion() {
            return region;
        }

        /** @param region the region */
        public void setRegion(@Nullable String region) {
            this.region = region;
        }

        /** @return the edge */
        public @Nullable String getEdge() {
            return edge;
        }

        /** @param edge the edge */
        public void setEdge(@Nullable String edge) {
            this.edge = edge;
        }
    }

    /** SMTP for the email steps, shared by every practice. */
    public static class Email {
        /** The SMTP host; spring.mail.host when unset. Email is configured when either is set. */
        private @Nullable String host;

        /** The SMTP port; spring.mail.port when unset, else the security mode's usual port (587, 465 or 25). */
        private @Nullable Integer port;

        /** The login; spring.mail.username when unset. */
        private @Nullable String username;

        /** The password; spring.mail.password when unset. */
        private @Nullable String password;

        /** How the connection is protected: starttls-required, smtps, or plain-insecure (local test servers only, with allow-insecure-for-testing). */
        private SmtpMode security = SmtpMode.STARTTLS_REQUIRED;

        /**
         * The From address every email is sent as (many providers accept only the login's own); each practice's email-from when unset.
         * A practice of followup.practices without an email-from of its own sends email as this address; with neither, the
         * engine would send it no email, so a practice whose policy has an email step stops the start when the starter sends email.
         */
        private @Nullable String fromAddress;

        /** The From display name, used with from-address. */
        private @Nullable String fromName;

        /** Where patients' email replies go. */
        private @Nullable String replyTo;

        /** The name to greet the server with (EHLO); one that resolves to this host. */
        private @Nullable String heloName;

        /** How long to wait for a connection. */
        private Duration connectTimeout = Duration.ofSeconds(10);

        /** How long to wait for each answer of the server. */
        private Duration readTimeout = Duration.ofSeconds(30);

        /** Accept PLAIN_INSECURE (no TLS): for a local test server only. */
        private boolean allowInsecureForTesting = false;

        /** @return the host */
        public @Nullable String getHost() {
            return host;
        }

        /** @param host the host */
        public void setHost(@Nullable String host) {
            this.host = host;
        }

        /** @return the port */
        public @Nullable Integer getPort() {
            return port;
        }

        /** @param port the port */
        public void setPort(@Nullable Integer port) {
            this.port = port;
        }

        /** @return the login */
        public @Nullable String getUsername() {
            return username;
        }

        /** @param username the login */
        public void setUsername(@Nullable String username) {
            this.username = username;
        }

        /** @return the password */
        public @Nullable String getPassword() {
            return password;
        }

        /** @param password the password */
        public void setPassword(@Nullable String password) {
            this.password = password;
        }

        /** @return the security mode */
        public SmtpMode getSecurity() {
            return security;
        }

        /** @param security the security mode */
        public void setSecurity(SmtpMode security) {
            this.security = security;
        }

        /** @return the From address */
        public @Nullable String getFromAddress() {
            return fromAddress;
        }

        /** @param fromAddress the From address */
        public void setFromAddress(@Nullable String fromAddress) {
            this.fromAddress = fromAddress;
        }

        /** @return the From display name */
        public @Nullable String getFromName() {
            return fromName;
        }

        /** @param fromName the From display name */
        public void setFromName(@Nullable String fromName) {
            this.fromName = fromName;
        }

        /** @return the Reply-To address */
        public @Nullable String getReplyTo() {
            return replyTo;
        }

        /** @param replyTo the Reply-To address */
        public void setReplyTo(@Nullable String replyTo) {
            this.replyTo = replyTo;
        }

        /** @return the EHLO name */
        public @Nullable String getHeloName() {
            return heloName;
        }

        /** @param heloName the EHLO name */
        public void setHeloName(@Nullable String heloName) {
            this.heloName = heloName;
        }

        /** @return the connect timeout */
        public Duration getConnectTimeout() {
            return connectTimeout;
        }

        /** @param connectTimeout the connect timeout */
        public void setConnectTimeout(Duration connectTimeout) {
            this.connectTimeout = connectTimeout;
        }

        /** @return the read timeout */
        public Duration getReadTimeout() {
            return readTimeout;
        }

        /** @param readTimeout the read timeout */
        public void setReadTimeout(Duration readTimeout) {
            this.readTimeout = readTimeout;
        }

        /** @return whether PLAIN_INSECURE is accepted */
        public boolean isAllowInsecureForTesting() {
            return allowInsecureForTesting;
        }

        /** @param allowInsecureForTesting whether PLAIN_INSECURE is accepted */
        public void setAllowInsecureForTesting(boolean allowInsecureForTesting) {
            this.allowInsecureForTesting = allowInsecureForTesting;
        }
    }

    /**
     * How the SMTP connection is protected; the same modes as followup-email's SmtpSecurity, kept
     * here so that these properties bind without the email module on the class path.
     */
    public enum SmtpMode {
        /** A plain connection upgraded with STARTTLS before anything is sent (port 587). */
        STARTTLS_REQUIRED,
        /** TLS from the first byte (port 465). */
        SMTPS,
        /** No encryption, for a local test server only (port 25). */
        PLAIN_INSECURE
    }

    /** The health indicator (management.health.followup.enabled switches it off). */
    public static class Health {
        /** The health is DOWN when the oldest overdue step has waited longer than this: due work is not being done. */
        private Duration maxLag = Duration.ofMinutes(15);

        /** @return the longest acceptable wait of an overdue step */
        public Duration getMaxLag() {
            return maxLag;
        }

        /** @param maxLag the longest acceptable wait of an overdue step */
        public void setMaxLag(Duration maxLag) {
            this.maxLag = maxLag;
        }
    }

    /**
     * The weekly report and the staff task board over HTTP. Served only in a servlet application
     * with Spring MVC and a PracticeAccess bean: without one, nobody may see any practice, so no
     * page is served at all.
     */
    public static class Web {
        /** Whether the report and task board pages are served (they also need a PracticeAccess bean). */
        private boolean enabled = true;

        /** Where the pages are served, below the servlet context path: empty for the root, or /segment[/segment...] without a trailing slash, e.g. /followup for /followup/practices/{id}/report. */
        private String path = "/followup";

        /** How many weeks the report's trend chart shows, 1 to 26. */
        private int trendWeeks = 8;

        /** @return whether the pages are served */
        public boolean isEnabled() {
            return enabled;
        }

        /** @param enabled whether the pages are served */
        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        /** @return the path the pages are served under */
        public String getPath() {
            return path;
        }

        /** @param path the path the pages are served under */
        public void setPath(String path) {
            this.path = path;
        }

        /** @return how many weeks the trend shows */
        public int getTrendWeeks() {
            return trendWeeks;
        }

        /** @param trendWeeks how many weeks the trend shows */
        public void setTrendWeeks(int trendWeeks) {
            this.trendWeeks = trendWeeks;
        }
    }

    /** The Micrometer meters. */
    public static class Metrics {
        /** Whether meters carry a practice tag; turn it off when one deployment serves so many practices that the tag's cardinality hurts. */
        private boolean practiceTag = true;

        /** @return whether meters carry a practice tag */
        public boolean isPracticeTag() {
            return practiceTag;
        }

        /** @param practiceTag whether meters carry a practice tag */
        public void setPracticeTag(boolean practiceTag) {
            this.practiceTag = practiceTag;
        }
    }

    /** One practice (tenant). */
    public static class Practice {
        /** The practice's id: the tenant key of every record, and the {practiceId} of its webhook URLs. */
        private @Nullable String id;

        /** The name patients know, used in every message. */
        private @Nullable String name;

        /** The phone number patients can call, as printed in messages. */
        private @Nullable String callbackPhone;

        /** The practice's IANA time zone, e.g. America/Chicago; used for patients whose own zone is unknown. */
        private @Nullable String timeZone;

        /** The SMS sender: an E.164 number or a Twilio messaging service SID; unset if the practice does not text. */
        private @Nullable String smsFrom;

        /**
         * The email From address; followup.email.from-address when unset. With neither the practice sends no email, and when the
         * starter sends email the application does not start if one of its policies has an email step.
         */
        private @Nullable String emailFrom;

        /** When patients may be messaged, in their local time; Monday to Friday, 10:00 to 14:00 by default. */
        @NestedConfigurationProperty
        private SendWindow sendWindow = new SendWindow();

        /** Days on which nothing is sent (holidays), as yyyy-MM-dd. */
        private List<LocalDate> closedDays = new ArrayList<>();

        /** The ISO 3166 region for phone numbers without a country code. */
        private String phoneRegion = "US";

        /** Whether the SMS provider confirms STOP and the other exact opt-out keywords itself (Twilio does), so the library does not send a second confirmation. */
        private boolean carrierAnswersExactKeywords = true;

        /** Whether messages may name the visit type; off by default (minimum necessary). */
        private boolean visitTypeInMessages = false;

        /** How often a patient may be contacted. */
        @NestedConfigurationProperty
        private ContactLimits contactLimits = new ContactLimits();

        /** The policy for follow-ups without a type-specific one. */
        private String defaultPolicy = "standard";

        /** Policies by follow-up type code, e.g. post-op: urgent. */
        private Map<String, String> policiesByType = new LinkedHashMap<>();

        /** The SMS sender's rate, when it is not a long code's 1 per second. */
        @NestedConfigurationProperty
        private SendRate sendRate = new SendRate();

        /** Figures for the weekly report. */
        @NestedConfigurationProperty
        private Report report = new Report();

        /** @return the id */
        public @Nullable String getId() {
            return id;
        }

        /** @param id the id */
        public void setId(@Nullable String id) {
            this.id = id;
        }

        /** @return the name */
        public @Nullable String getName() {
            return name;
        }

        /** @param name the name */
        public void setName(@Nullable String name) {
            this.name = name;
        }

        /** @return the callback phone */
        public @Nullable String getCallbackPhone() {
            return callbackPhone;
        }

        /** @param callbackPhone the callback phone */
        public void setCallbackPhone(@Nullable String callbackPhone) {
            this.callbackPhone = callbackPhone;
        }

        /** @return the time zone */
        public @Nullable String getTimeZone() {
            return timeZone;
        }

        /** @param timeZone the time zone */
        public void setTimeZone(@Nullable String timeZone) {
            this.timeZone = timeZone;
        }

        /** @return the SMS sender */
        public @Nullable String getSmsFrom() {
            return smsFrom;
        }

        /** @param smsFrom the SMS sender */
        public void setSmsFrom(@Nullable String smsFrom) {
            this.smsFrom = smsFrom;
        }

        /** @return the email From address */
        public @Nullable String getEmailFrom() {
            return emailFrom;
        }

        /** @param emailFrom the email From address */
        public void setEmailFrom(@Nullable String emailFrom) {
            this.emailFrom = emailFrom;
        }

        /** @return the send window */
        public SendWindow getSendWindow() {
            return sendWindow;
        }

        /** @param sendWindow the send window */
        public void setSendWindow(SendWindow sendWindow) {
            this.sendWindow = sendWindow;
        }

        /** @return the closed days */
        public List<LocalDate> getClosedDays() {
            return closedDays;
        }

        /** @param closedDays the closed days */
        public void setClosedDays(List<LocalDate> closedDays) {
            this.closedDays = closedDays;
        }

        /** @return the phone region */
        public String getPhoneRegion() {
            return phoneRegion;
        }

        /** @param phoneRegion the phone region */
        public void setPhoneRegion(String phoneRegion) {
            this.phoneRegion = phoneRegion;
        }

        /** @return whether the provider confirms exact opt-out keywords */
        public boolean isCarrierAnswersExactKeywords() {
            return carrierAnswersExactKeywords;
        }

        /** @param carrierAnswersExactKeywords whether the provider confirms exact opt-out keywords */
        public void setCarrierAnswersExactKeywords(boolean carrierAnswersExactKeywords) {
            this.carrierAnswersExactKeywords = carrierAnswersExactKeywords;
        }

        /** @return whether messages may name the visit type */
        public boolean isVisitTypeInMessages() {
            return visitTypeInMessages;
        }

        /** @param visitTypeInMessages whether messages may name the visit type */
        public void setVisitTypeInMessages(boolean visitTypeInMessages) {
            this.visitTypeInMessages = visitTypeInMessages;
        }

        /** @return the contact limits */
        public ContactLimits getContactLimits() {
            return contactLimits;
        }

        /** @param contactLimits the contact limits */
        public void setContactLimits(ContactLimits contactLimits) {
            this.contactLimits = contactLimits;
        }

        /** @return the default policy's name */
        public String getDefaultPolicy() {
            return defaultPolicy;
        }

        /** @param defaultPolicy the default policy's name */
        public void setDefaultPolicy(String defaultPolicy) {
            this.defaultPolicy = defaultPolicy;
        }

        /** @return policy names by follow-up type code */
        public Map<String, String> getPoliciesByType() {
            return policiesByType;
        }

        /** @param policiesByType policy names by follow-up type code */
        public void setPoliciesByType(Map<String, String> policiesByType) {
            this.policiesByType = policiesByType;
        }

        /** @return the send rate */
        public SendRate getSendRate() {
            return sendRate;
        }

        /** @param sendRate the send rate */
        public void setSendRate(SendRate sendRate) {
            this.sendRate = sendRate;
        }

        /** @return the report figures */
        public Report getReport() {
            return report;
        }

        /** @param report the report figures */
        public void setReport(Report report) {
            this.report = report;
        }
    }

    /** When patients may be messaged, in their local time, within 08:00 to 21:00. */
    public static class SendWindow {
        /** The days of the week. */
        private Set<DayOfWeek> days = EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY);

        /** The local opening time, inclusive. */
        private LocalTime start = LocalTime.of(10, 0);

        /** The local closing time, exclusive. */
        private LocalTime end = LocalTime.of(14, 0);

        /** @return the days */
        public Set<DayOfWeek> getDays() {
            return days;
        }

        /** @param days the days */
        public void setDays(Set<DayOfWeek> days) {
            this.days = days;
        }

        /** @return the opening time */
        public LocalTime getStart() {
            return start;
        }

        /** @param start the opening time */
        public void setStart(LocalTime start) {
            this.start = start;
        }

        /** @return the closing time */
        public LocalTime getEnd() {
            return end;
        }

        /** @param end the closing time */
        public void setEnd(LocalTime end) {
            this.end = end;
        }
    }

    /** How often one patient may be contacted, across follow-ups. */
    public static class ContactLimits {
        /** Outreach messages per local day. */
        private int perDay = 1;

        /** Outreach messages per 7 days. */
        private int perWeek = 3;

        /** @return messages per day */
        public int getPerDay() {
            return perDay;
        }

        /** @param perDay messages per day */
        public void setPerDay(int perDay) {
            this.perDay = perDay;
        }

        /** @return messages per week */
        public int getPerWeek() {
            return perWeek;
        }

        /** @param perWeek messages per week */
        public void setPerWeek(int perWeek) {
            this.perWeek = perWeek;
        }
    }

    /** A sender's rate; unset means a long code (about 1 per second). */
    public static class SendRate {
        /** Messages per second (fractions allowed). */
        private @Nullable Double perSecond;

        /** Messages per UTC day; unlimited when unset. */
        private @Nullable Integer perDay;

        /** @return messages per second */
        public @Nullable Double getPerSecond() {
            return perSecond;
        }

        /** @param perSecond messages per second */
        public void setPerSecond(@Nullable Double perSecond) {
            this.perSecond = perSecond;
        }

        /** @return messages per day */
        public @Nullable Integer getPerDay() {
            return perDay;
        }

        /** @param perDay messages per day */
        public void setPerDay(@Nullable Integer perDay) {
            this.perDay = perDay;
        }
    }

    /** Figures for a practice's weekly report. */
    public static class Report {
        /** Revenue attributed to one recovered appointment; 150 when unset. */
        private @Nullable BigDecimal defaultRevenue;

        /** The monthly fee for the service, for the ROI figure. */
        private @Nullable BigDecimal monthlyFee;

        /** @return the revenue per recovered appointment */
        public @Nullable BigDecimal getDefaultRevenue() {
            return defaultRevenue;
        }

        /** @param defaultRevenue the revenue per recovered appointment */
        public void setDefaultRevenue(@Nullable BigDecimal defaultRevenue) {
            this.defaultRevenue = defaultRevenue;
        }

        /** @return the monthly fee */
        public @Nullable BigDecimal getMonthlyFee() {
            return monthlyFee;
        }

        /** @param monthlyFee the monthly fee */
        public void setMonthlyFee(@Nullable BigDecimal monthlyFee) {
            this.monthlyFee = monthlyFee;
        }
    }

    /** An escalation policy, built with the same DSL as in code. */
    public static class Policy {
        /** The ladder, first step first; each step is one of sms, email or staff-task, and every step but the first has after. */
        private List<Step> steps = new ArrayList<>();

        /** The longest the first message may wait after ingestion, and any message in the provider's queue; at most 10 hours. */
        private Duration within = Duration.ofHours(2);

        /** A send window for this policy's messages, overriding the practice's; unset to use the practice's. */
        private @Nullable SendWindow sendWindow;

        /** End the ladder by closing an unanswered follow-up this long after the last step, instead of with a staff task. */
        private @Nullable Duration closeAfter;

        /** What a YES leads to; 3 slots offered by default. */
        @NestedConfigurationProperty
        private OnYes onYes = new OnYes();

        /** How long a patient who was offered slots has to pick one before staff take over. */
        private Duration choiceTimeout = Duration.ofHours(24);

        /** @return the steps */
        public List<Step> getSteps() {
            return steps;
        }

        /** @param steps the steps */
        public void setSteps(List<Step> steps) {
            this.steps = steps;
        }

        /** @return the first message's deadline */
        public Duration getWithin() {
            return within;
        }

        /** @param within the first message's deadline */
        public void setWithin(Duration within) {
            this.within = within;
        }

        /** @return the policy's own send window, or null */
        public @Nullable SendWindow getSendWindow() {
            return sendWindow;
        }

        /** @param sendWindow the policy's own send window */
        public void setSendWindow(@Nullable SendWindow sendWindow) {
            this.sendWindow = sendWindow;
        }

        /** @return the delay after which an unanswered follow-up is closed, or null */
        public @Nullable Duration getCloseAfter() {
            return closeAfter;
        }

        /** @param closeAfter the delay after which an unanswered follow-up is closed */
        public void setCloseAfter(@Nullable Duration closeAfter) {
            this.closeAfter = closeAfter;
        }

        /** @return what a YES leads to */
        public OnYes getOnYes() {
            return onYes;
        }

        /** @param onYes what a YES leads to */
        public void setOnYes(OnYes onYes) {
            this.onYes = onYes;
        }

        /** @return the slot choice timeout */
        public Duration getChoiceTimeout() {
            return choiceTimeout;
        }

        /** @param choiceTimeout the slot choice timeout */
        public void setChoiceTimeout(Duration choiceTimeout) {
            this.choiceTimeout = choiceTimeout;
        }
    }

    /** One step of a policy's ladder: exactly one of sms, email and staff-task. */
    public static class Step {
        /** How long after the previous step this one falls due if the patient has not replied; not for the first step. */
        private @Nullable Duration after;

        /** Text the patient with this SMS template. */
        private @Nullable String sms;

        /** Email the patient with this email template. */
        private @Nullable String email;

        /** Open a staff task of this kind (call-patient, review-reply, schedule-manually, booking-failed); it ends the ladder. */
        private @Nullable TaskKind staffTask;

        /** @return the delay after the previous step */
        public @Nullable Duration getAfter() {
            return after;
        }

        /** @param after the delay after the previous step */
        public void setAfter(@Nullable Duration after) {
            this.after = after;
        }

        /** @return the SMS template */
        public @Nullable String getSms() {
            return sms;
        }

        /** @param sms the SMS template */
        public void setSms(@Nullable String sms) {
            this.sms = sms;
        }

        /** @return the email template */
        public @Nullable String getEmail() {
            return email;
        }

        /** @param email the email template */
        public void setEmail(@Nullable String email) {
            this.email = email;
        }

        /** @return the staff task kind */
        public @Nullable TaskKind getStaffTask() {
            return staffTask;
        }

        /** @param staffTask the staff task kind */
        public void setStaffTask(@Nullable TaskKind staffTask) {
            this.staffTask = staffTask;
        }
    }

    /** What a YES leads to: offered slots, or a staff task. */
    public static class OnYes {
        /** Offer this many open slots, 1 to 9. */
        private int offerSlots = 3;

        /** Open a staff task of this kind instead of offering slots. */
        private @Nullable TaskKind staffTask;

        /** @return how many slots are offered */
        public int getOfferSlots() {
            return offerSlots;
        }

        /** @param offerSlots how many slots are offered */
        public void setOfferSlots(int offerSlots) {
            this.offerSlots = offerSlots;
        }

        /** @return the staff task kind, or null */
        public @Nullable TaskKind getStaffTask() {
            return staffTask;
        }

        /** @param staffTask the staff task kind */
        public void setStaffTask(@Nullable TaskKind staffTask) {
            this.staffTask = staffTask;
        }
    }
}
