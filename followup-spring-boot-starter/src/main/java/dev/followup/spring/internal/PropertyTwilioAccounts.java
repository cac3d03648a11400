package dev.followup.spring.internal;

import dev.followup.InvalidConfigurationException;
import dev.followup.practice.Practice;
import dev.followup.practice.PracticeId;
import dev.followup.spring.FollowUpProperties;
import dev.followup.twilio.TwilioAccount;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The Twilio account of each practice, from {@code followup.twilio.*}: a practice's own entry under
 * {@code accounts.<practice-id>}, else the default account given directly under
 * {@code followup.twilio} for every practice that texts. A practice's E.164 {@code sms-from} is
 * added to its account's numbers, so an inbound webhook without the practice in its path still finds it.
 */
public final class PropertyTwilioAccounts {
    private static final Pattern E164 = Pattern.compile("\\+[1-9][0-9]{6,14}");

    private PropertyTwilioAccounts() {}

    /**
     * @param twilio the Twilio properties
     * @return the accounts of {@code followup.twilio.accounts.<practice-id>}, for sending (without
     *     the practices' numbers, which only route webhooks)
     * @throws InvalidConfigurationException naming the property, if an account is incomplete
     */
    public static Map<PracticeId, TwilioAccount> own(FollowUpProperties.Twilio twilio) {
        Map<PracticeId, TwilioAccount> accounts = new LinkedHashMap<>();
        twilio.getAccounts().forEach((id, account) -> accounts.put(PracticeId.of(id), account("followup.twilio.accounts." + id,
                account.getAccountSid(), account.getAuthToken(), account.getApiKeySid(), account.getApiKeySecret(), account.getRegion(),
                account.getEdge(), null)));
        return accounts;
    }

    /**
     * @param twilio the Twilio properties
     * @return the account given directly under {@code followup.twilio}, if {@code account-sid} is set
     * @throws InvalidConfigurationException naming the property, if it is incomplete
     */
    public static Optional<TwilioAccount> defaultAccount(FollowUpProperties.Twilio twilio) {
        if (twilio.getAccountSid() == null || twilio.getAccountSid().isBlank()) {
            return Optional.empty();
        }
        return Optional.of(account("followup.twilio", twilio.getAccountSid(), twilio.getAuthToken(), twilio.getApiKeySid(),
                twilio.getApiKeySecret(), twilio.getRegion(), twilio.getEdge(), null));
    }

    /**
     * Checks that the sender has an account for every practice that texts.
     *
     * @param sender the starter's sender, which knows the practices' own accounts and the default one
     * @param practices every practice the engine serves
     * @throws InvalidConfigurationException naming the first practice without one and the property to set
     */
    public static void requireAccountOfEveryTextingPractice(dev.followup.twilio.TwilioSmsSender sender, Collection<Practice> practices) {
        for (Practice p : practices) {
            if (p.smsFrom() != null && !sender.sendsFor(p.id())) {
                String own = "followup.twilio.accounts." + p.id().value();
                throw new InvalidConfigurationException("practice " + p.id() + " sends texts (it has an SMS sender) but has no Twilio"
                        + " account: set " + own + ".account-sid and " + own + ".auth-token, or followup.twilio.account-sid and"
                        + " .auth-token for every practice without an account of its own");
            }
        }
    }

    /**
     * @param twilio the Twilio properties
     * @param practices every practice the engine serves
     * @return accounts by practice
     * @throws InvalidConfigurationException naming the property, if an account is incomplete
     */
    public static Map<PracticeId, TwilioAccount> of(FollowUpProperties.Twilio twilio, Collection<Practice> practices) {
        Map<String, @Nullable String> smsFromById = new LinkedHashMap<>();
        for (Practice p : practices) {
            smsFromById.put(p.id().value(), p.smsFrom());
        }
        Map<PracticeId, TwilioAccount> accounts = new LinkedHashMap<>();
        twilio.getAccounts().forEach((id, account) -> accounts.put(PracticeId.of(id), account("followup.twilio.accounts." + id,
                account.getAccountSid(), account.getAuthToken(), account.getApiKeySid(), account.getApiKeySecret(), account.getRegion(),
                account.getEdge(), smsFromById.get(id))));
        if (twilio.getAccountSid() != null && !twilio.getAccountSid().isBlank()) {
            smsFromById.forEach((id, smsFrom) -> {
                if (smsFrom != null && !twilio.getAccounts().containsKey(id)) {
                    accounts.put(PracticeId.of(id), account("followup.twilio", twilio.getAccountSid(), twilio.getAuthToken(),
                            twilio.getApiKeySid(), twilio.getApiKeySecret(), twilio.getRegion(), twilio.getEdge(), smsFrom));
                }
            });
        }
        return accounts;
    }

    private static TwilioAccount account(String path, @Nullable String sid, @Nullable String authToken, @Nullable String apiKeySid,
            @Nullable String apiKeySecret, @Nullable String region, @Nullable String edge, @Nullable String smsFrom) {
        try {
            if (sid == null || sid.isBlank()) {
                throw new InvalidConfigurationException("account-sid is required");
            }
            TwilioAccount.Builder b = TwilioAccount.builder(sid.strip());
            if (authToken != null && !authToken.isBlank()) {
                b.authToken(authToken.strip());
            }
            if (apiKeySid != null && !apiKeySid.isBlank()) {
                b.apiKey(apiKeySid.strip(), apiKeySecret == null ? "" : apiKeySecret.strip());
            }
            if (region != null && !region.isBlank()) {
                b.region(region.strip());
            }
            if (edge != null && !edge.isBlank()) {
                b.edge(edge.strip());
            }
            if (smsFrom != null && E164.matcher(smsFrom).matches()) {
                b.phoneNumber(smsFrom);
            }
            return b.build();
        } catch (InvalidConfigurationException e) {
            throw new InvalidConfigurationException(path + ": " + e.getMessage(), e);
        }
    }
}
