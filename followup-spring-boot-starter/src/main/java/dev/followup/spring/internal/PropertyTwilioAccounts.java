package dev.followup.spring.internal;

import dev.followup.InvalidConfigurationException;
import dev.followup.practice.Practice;
import dev.followup.practice.PracticeId;
import dev.followup.spring.FollowUpProperties;
import dev.followup.twilio.TwilioAccount;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
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
     * @param practices every practice the engine will serve
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
