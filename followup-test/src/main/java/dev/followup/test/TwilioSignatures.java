package dev.followup.test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs a webhook request the way Twilio documents it: HMAC-SHA1, keyed by the account's auth
 * token, of the URL followed by each parameter's name and value in name order, in Base64. For tests
 * and benchmarks that play Twilio against the library's webhook checks.
 */
public final class TwilioSignatures {
    private TwilioSignatures() {
    }

    /**
     * @param authToken the auth token Twilio would sign with
     * @param url the URL as Twilio requested it
     * @param parameters the form parameters
     * @return the {@code X-Twilio-Signature} header's value
     */
    public static String sign(String authToken, String url, Map<String, String> parameters) {
        StringBuilder data = new StringBuilder(url);
        new TreeMap<>(parameters).forEach((name, value) -> data.append(name).append(value));
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(authToken.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            return Base64.getEncoder().encodeToString(mac.doFinal(data.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
