package dev.followup.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.followup.FollowUpEngine;
import dev.followup.InvalidConfigurationException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The pauses between tries of a provider copy the provider keeps, as the Twilio README promises them. */
class ProviderRedactorTest {
    @Test
    void thePauseGrowsFromAnHourByDoublingAndStopsAtADay() {
        assertThat(ProviderRedactor.pauseAfter(1)).isEqualTo(Duration.ofHours(1));
        assertThat(ProviderRedactor.pauseAfter(2)).isEqualTo(Duration.ofHours(2));
        assertThat(ProviderRedactor.pauseAfter(3)).isEqualTo(Duration.ofHours(4));
        assertThat(ProviderRedactor.pauseAfter(5)).isEqualTo(Duration.ofHours(16));
        assertThat(ProviderRedactor.pauseAfter(6)).isEqualTo(Duration.ofDays(1));
        assertThat(ProviderRedactor.pauseAfter(50)).isEqualTo(Duration.ofDays(1));
    }

    @Test
    void theNumberOfTriesIsOneToFifty() {
        assertThat(FollowUpEngine.builder().providerRedactionTries(1)).isNotNull();
        assertThat(FollowUpEngine.builder().providerRedactionTries(50)).isNotNull();
        assertThatThrownBy(() -> FollowUpEngine.builder().providerRedactionTries(0)).isInstanceOf(InvalidConfigurationException.class);
        assertThatThrownBy(() -> FollowUpEngine.builder().providerRedactionTries(51)).isInstanceOf(InvalidConfigurationException.class);
    }
}
