package dev.followup.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.followup.InvalidConfigurationException;
import dev.followup.InvalidInputException;
import java.math.BigDecimal;
import java.util.Currency;
import org.junit.jupiter.api.Test;

class SmsPricingTest {

    @Test
    void defaultIsPointZeroZeroSevenNineUsdPerSegment() {
        SmsPricing pricing = SmsPricing.defaultPricing();
        assertThat(pricing.pricePerSegment()).isEqualByComparingTo("0.0079");
        assertThat(pricing.currency()).isEqualTo(Currency.getInstance("USD"));
    }

    @Test
    void costIsSegmentsTimesPrice() {
        SmsPricing pricing = SmsPricing.defaultPricing();
        assertThat(pricing.costOf(new SegmentCount(SmsEncoding.GSM_7, 160, 1))).isEqualByComparingTo("0.0079");
        assertThat(pricing.costOf(new SegmentCount(SmsEncoding.GSM_7, 161, 2))).isEqualByComparingTo("0.0158");
        assertThat(pricing.costOf(new SegmentCount(SmsEncoding.UCS_2, 1600, 24))).isEqualByComparingTo("0.1896");
        assertThat(pricing.costOf(new SegmentCount(SmsEncoding.GSM_7, 0, 0))).isEqualByComparingTo("0");
    }

    @Test
    void costOfBodyCountsItFirst() {
        SmsPricing pricing = SmsPricing.defaultPricing();
        assertThat(pricing.costOf("a".repeat(160))).isEqualByComparingTo("0.0079");
        assertThat(pricing.costOf("a".repeat(161))).isEqualByComparingTo("0.0158");
        assertThat(pricing.costOf("a".repeat(70) + "ç")).isEqualByComparingTo("0.0158");
        assertThat(pricing.costOf("")).isEqualByComparingTo("0");
    }

    @Test
    void costIsExactNotRounded() {
        SmsPricing pricing = SmsPricing.perSegment(new BigDecimal("0.00833"));
        assertThat(pricing.costOf(new SegmentCount(SmsEncoding.GSM_7, 1000, 7))).isEqualTo(new BigDecimal("0.05831"));
    }

    @Test
    void customPriceIsValidated() {
        assertThat(SmsPricing.perSegment(BigDecimal.ZERO).costOf("hello")).isEqualByComparingTo("0");
        assertThatThrownBy(() -> SmsPricing.perSegment(new BigDecimal("-0.01"))).isInstanceOf(InvalidConfigurationException.class);
        assertThatThrownBy(() -> SmsPricing.perSegment(null)).isInstanceOf(InvalidConfigurationException.class);
    }

    @Test
    void nullInputsAreRejected() {
        SmsPricing pricing = SmsPricing.defaultPricing();
        assertThatThrownBy(() -> pricing.costOf((SegmentCount) null)).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> pricing.costOf((String) null)).isInstanceOf(InvalidInputException.class);
    }

    @Test
    void equalityIsNumeric() {
        assertThat(SmsPricing.perSegment(new BigDecimal("0.00790"))).isEqualTo(SmsPricing.defaultPricing())
                .hasSameHashCodeAs(SmsPricing.defaultPricing());
        assertThat(SmsPricing.perSegment(new BigDecimal("0.01"))).isNotEqualTo(SmsPricing.defaultPricing());
        assertThat(SmsPricing.defaultPricing()).hasToString("SmsPricing[0.0079 USD per segment]");
    }
}
