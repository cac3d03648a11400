package dev.followup.twilio;

import dev.followup.InvalidConfigurationException;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The Twilio account (or subaccount) a practice sends from, with its credentials.
 *
 * <p>The REST API is called with an API key and secret when one is given, otherwise with the
 * auth token. Webhook signatures are always made with the account's primary auth token, so an
 * account whose webhooks this library checks needs the auth token even when it sends with an API
 * key. The secrets never appear in {@link #toString()} or in any exception message.
 *
 * <pre>{@code
 * TwilioAccount account = TwilioAccount.builder("ACxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx")
 *         .authToken(secrets.get("twilio/p1/auth-token"))
 *         .phoneNumber("+12015550100")
 *         .build();
 * }</pre>
 */
public final class TwilioAccount {
    private static final Pattern ACCOUNT_SID = Pattern.compile("AC[0-9a-fA-F]{32}");
    private static final Pattern API_KEY_SID = Pattern.compile("SK[0-9a-fA-F]{32}");
    private static final Pattern E164 = Pattern.compile("\\+[1-9][0-9]{6,14}");
    private static final Pattern REGION_OR_EDGE = Pattern.compile("[a-z0-9-]{1,32}");

    private final String accountSid;
    private final @Nullable String authToken;
    private final @Nullable String apiKeySid;
    private final @Nullable String apiKeySecret;
    private final @Nullable String region;
    private final @Nullable String edge;
    private final Set<String> phoneNumbers;

    private TwilioAccount(Builder builder) {
        this.accountSid = builder.accountSid;
        this.authToken = builder.authToken;
        this.apiKeySid = builder.apiKeySid;
        this.apiKeySecret = builder.apiKeySecret;
        this.region = builder.region;
        this.edge = builder.edge;
        this.phoneNumbers = Set.copyOf(builder.phoneNumbers);
    }

    /**
     * Starts an account's settings.
     *
     * @param accountSid the account SID, {@code AC} followed by 32 hex digits
     * @return a builder
     * @throws InvalidConfigurationException if the SID is not an account SID
     */
    public static Builder builder(String accountSid) {
        return new Builder(accountSid);
    }

    /** @return the account SID */
    public String accountSid() {
        return accountSid;
    }

    /** @return the auth token, if configured; it signs webhooks */
    public @Nullable String authToken() {
        return authToken;
    }

    /** @return the API key SID used for REST calls, if configured */
    public @Nullable String apiKeySid() {
        return apiKeySid;
    }

    /** @return the API key's secret, if configured */
    @Nullable String apiKeySecret() {
        return apiKeySecret;
    }

    /** @return Twilio's processing region (e.g. {@code ie1}), if not the default US one */
    public @Nullable String region() {
        return region;
    }

    /** @return Twilio's edge location (e.g. {@code dublin}), if configured */
    public @Nullable String edge() {
        return edge;
    }

    /** @return the account's numbers that receive the practice's inbound texts (E.164) */
    public Set<String> phoneNumbers() {
        return phoneNumbers;
    }

    /** @return the account SID and which kind of credential is set; never a secret */
    @Override
    public String toString() {
        return "TwilioAccount[" + accountSid + (apiKeySid != null ? ", apiKey=" + apiKeySid : ", authToken") + "]";
    }

    /** Builds a {@link TwilioAccount}; every check runs in {@link #build()} or earlier and says what to fix. */
    public static final class Builder {
        private final String accountSid;
        private @Nullable String authToken;
        private @Nullable String apiKeySid;
        private @Nullable String apiKeySecret;
        private @Nullable String region;
        private @Nullable String edge;
        private final Set<String> phoneNumbers = new LinkedHashSet<>();

        private Builder(String accountSid) {
            if (accountSid == null || !ACCOUNT_SID.matcher(accountSid).matches()) {
                throw new InvalidConfigurationException("Twilio account SID must be 'AC' followed by 32 hex digits");
            }
            this.accountSid = accountSid;
        }

        /**
         * @param authToken the account's primary auth token (REST calls without an API key, and webhook signatures)
         * @return this builder
         */
        public Builder authToken(String authToken) {
            if (authToken == null || authToken.isBlank()) {
                throw new InvalidConfigurationException("Twilio auth token of account " + accountSid + " is empty");
            }
            this.authToken = authToken;
            return this;
        }

        /**
         * Uses an API key for REST calls instead of the auth token (revocable, the recommended way).
         *
         * @param keySid the key's SID, {@code SK} followed by 32 hex digits
         * @param secret the key's secret
         * @return this builder
         */
        public Builder apiKey(String keySid, String secret) {
            if (keySid == null || !API_KEY_SID.matcher(keySid).matches()) {
                throw new InvalidConfigurationException("Twilio API key SID of account " + accountSid + " must be 'SK' followed by 32 hex digits");
            }
            if (secret == null || secret.isBlank()) {
                throw new InvalidConfigurationException("Twilio API key secret of account " + accountSid + " is empty");
            }
            this.apiKeySid = keySid;
            this.apiKeySecret = secret;
            return this;
        }

        /**
         * @param region Twilio's processing region, e.g. {@code ie1} or {@code au1}
         * @return this builder
         */
        public Builder region(String region) {
            this.region = checkedLocation(region, "region");
            return this;
        }

        /**
         * @param edge Twilio's edge location, e.g. {@code dublin} or {@code sydney}
         * @return this builder
         */
        public Builder edge(String edge) {
            this.edge = checkedLocation(edge, "edge");
            return this;
        }

        /**
         * Adds a number of this account that receives the practice's texts: an inbound webhook
         * without the practice in its URL is routed by its {@code To} number.
         *
         * @param e164 the number in E.164 form
         * @return this builder
         */
        public Builder phoneNumber(String e164) {
            if (e164 == null || !E164.matcher(e164).matches()) {
                throw new InvalidConfigurationException("a phone number of Twilio account " + accountSid + " is not in E.164 form");
            }
            phoneNumbers.add(e164);
            return this;
        }

        /**
         * @return the account settings
         * @throws InvalidConfigurationException if neither an auth token nor an API key is set
         */
        public TwilioAccount build() {
            if (authToken == null && apiKeySid == null) {
                throw new InvalidConfigurationException("Twilio account " + accountSid + " needs an auth token or an API key");
            }
            return new TwilioAccount(this);
        }

        private String checkedLocation(String value, String what) {
            if (value == null || !REGION_OR_EDGE.matcher(value).matches()) {
                throw new InvalidConfigurationException("Twilio " + what + " of account " + accountSid + " must be lower-case letters, digits or '-'");
            }
            return value;
        }
    }

    /**
     * @param other another value
     * @return whether every setting, secrets included, is the same (a rotated secret makes a different account)
     */
    @Override
    public boolean equals(@Nullable Object other) {
        return other instanceof TwilioAccount that
                && accountSid.equals(that.accountSid)
                && Objects.equals(authToken, that.authToken)
                && Objects.equals(apiKeySid, that.apiKeySid)
                && Objects.equals(apiKeySecret, that.apiKeySecret)
                && Objects.equals(region, that.region)
                && Objects.equals(edge, that.edge)
                && phoneNumbers.equals(that.phoneNumbers);
    }

    /** @return a hash of the non-secret settings */
    @Override
    public int hashCode() {
        return Objects.hash(accountSid, apiKeySid, region, edge);
    }
}
