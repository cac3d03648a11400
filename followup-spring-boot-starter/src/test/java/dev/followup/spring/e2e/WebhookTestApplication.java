package dev.followup.spring.e2e;

import dev.followup.test.InMemoryScheduling;
import dev.followup.test.InMemorySmsSender;
import dev.followup.test.MutableClock;
import java.time.ZoneId;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * An application with the starter, as a vendor would write it: its own clock (here one the test
 * moves), an SMS sender that keeps what it sends (in place of Twilio's REST API), and a scheduling
 * system for slots and bookings. Everything else comes from the starter and the properties.
 */
@SpringBootApplication
public class WebhookTestApplication {
    /** Monday 2 March 2026, 11:00 in Chicago: inside the practice's send window. */
    static final String START = "2026-03-02T17:00:00Z";

    @Bean
    MutableClock clock() {
        return MutableClock.at(START);
    }

    @Bean
    InMemorySmsSender smsSender() {
        return new InMemorySmsSender();
    }

    @Bean
    InMemoryScheduling scheduling() {
        return new InMemoryScheduling(ZoneId.of("America/Chicago"));
    }
}
