package dev.followup.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.followup.message.SendRate;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Pacing per sender, and what a clock that steps back does to it. */
class SendPacerTest {
    private static final String SENDER = "+13125550100";
    private static final Duration MAX_WAIT = Duration.ofSeconds(5);
    private static final Instant HALF_PAST_ONE = Instant.parse("2026-04-13T18:30:00Z");

    @Test
    void aSendersSlotsAreOneIntervalApart() {
        SendPacer pacer = new SendPacer(Map.of(SENDER, SendRate.perSecond(1)));

        assertThat(pacer.reserve(SENDER, HALF_PAST_ONE, MAX_WAIT)).isEqualTo(new SendPacer.Reservation(true, HALF_PAST_ONE));
        assertThat(pacer.reserve(SENDER, HALF_PAST_ONE, MAX_WAIT)).isEqualTo(new SendPacer.Reservation(true, HALF_PAST_ONE.plusSeconds(1)));
        assertThat(pacer.reserve(SENDER, HALF_PAST_ONE.minusMillis(200), MAX_WAIT)).as("a caller whose moment is a little older")
                .isEqualTo(new SendPacer.Reservation(true, HALF_PAST_ONE.plusSeconds(2)));
    }

    /** A group decided ten seconds ago (a slow transaction) reserves with its moment: that is no step back of the clock. */
    @Test
    void aCallerWhoseMomentIsSecondsOldKeepsTheSlotsApart() {
        SendPacer pacer = new SendPacer(Map.of(SENDER, SendRate.perSecond(1)));
        pacer.reserve(SENDER, HALF_PAST_ONE.plusSeconds(10), MAX_WAIT);

        SendPacer.Reservation stale = pacer.reserve(SENDER, HALF_PAST_ONE, MAX_WAIT);
        SendPacer.Reservation current = pacer.reserve(SENDER, HALF_PAST_ONE.plusSeconds(10), MAX_WAIT);

        assertThat(stale).as("the next slot is 11 s after its moment, beyond its wait").isEqualTo(
                new SendPacer.Reservation(false, HALF_PAST_ONE.plusSeconds(11)));
        assertThat(current).isEqualTo(new SendPacer.Reservation(true, HALF_PAST_ONE.plusSeconds(11)));
    }

    /** A step back of two and a half hours: the next send goes at once, not when the old clock's slot comes round. */
    @Test
    void aClockThatStepsBackDoesNotHoldSendsBackByTheStep() {
        SendPacer pacer = new SendPacer(Map.of(SENDER, SendRate.perSecond(1)));
        pacer.reserve(SENDER, HALF_PAST_ONE, MAX_WAIT);
        pacer.reserve(SENDER, HALF_PAST_ONE, MAX_WAIT);
        Instant eleven = HALF_PAST_ONE.minus(Duration.ofMinutes(150));

        SendPacer.Reservation afterTheStep = pacer.reserve(SENDER, eleven, MAX_WAIT);

        assertThat(afterTheStep.reserved()).isTrue();
        assertThat(afterTheStep.at()).as("the slot after the two given, on the new clock").isEqualTo(eleven.plusSeconds(2));
        assertThat(pacer.reserve(SENDER, eleven, MAX_WAIT)).isEqualTo(new SendPacer.Reservation(true, eleven.plusSeconds(3)));
    }
}
