package dev.followup.spring;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/** Property sets the starter's tests share: one practice, fixed test keys, a Twilio account. */
final class TestProperties {
    /** A key of 32 bytes, each {@code value}, in base64: for tests only. */
    static String key(int value) {
        byte[] key = new byte[32];
        Arrays.fill(key, (byte) value);
        return Base64.getEncoder().encodeToString(key);
    }

    static final String ACCOUNT_SID = "AC" + "0123456789abcdef0123456789abcdef";
    static final String AUTH_TOKEN = "test-auth-token-0123456789";

    static final String[] PRACTICE = {
        "followup.practices[0].id=lakeside",
        "followup.practices[0].name=Lakeside Family Medicine",
        "followup.practices[0].callback-phone=(312) 555-0199",
        "followup.practices[0].time-zone=America/Chicago",
        "followup.practices[0].sms-from=+13125550190",
        "followup.practices[0].email-from=care@lakeside.example",
    };

    static final String[] KEYS = {
        "followup.encryption.keys.k1=" + key(1),
        "followup.encryption.keys.lookup=" + key(2),
        "followup.encryption.current-key=k1",
    };

    static final String[] TWILIO = {
        "followup.twilio.account-sid=" + ACCOUNT_SID,
        "followup.twilio.auth-token=" + AUTH_TOKEN,
        "followup.twilio.public-base-url=https://followup.example.test/hooks",
    };

    /** A practice and keys, with the scheduler off so that no background run interferes. */
    static String[] basic(String... more) {
        List<String> all = new ArrayList<>(List.of(PRACTICE));
        all.addAll(List.of(KEYS));
        all.add("followup.engine.scheduler-enabled=false");
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

    static String[] join(String[] first, String... more) {
        List<String> all = new ArrayList<>(List.of(first));
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

    private TestProperties() {}
}
