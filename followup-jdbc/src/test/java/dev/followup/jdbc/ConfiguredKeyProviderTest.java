package dev.followup.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.followup.InvalidConfigurationException;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfiguredKeyProviderTest {
    @Test
    void servesTheCurrentKeyAndEveryConfiguredKeyById() {
        ConfiguredKeyProvider keys = TestKeys.current("k2");
        assertThat(keys.currentKey().id()).isEqualTo("k2");
        assertThat(keys.key("k1")).map(k -> k.material().length).contains(32);
        assertThat(keys.key("k3")).isEmpty();
        assertThat(keys.keyIds()).containsExactlyInAnyOrder("k1", "k2", "lookup");
        assertThat(keys.toString()).doesNotContain(TestKeys.K1).doesNotContain(TestKeys.K2);
    }

    @Test
    void refusesConfigurationThatCannotWorkWithoutShowingKeyMaterial() {
        String shortKey = Base64.getEncoder().encodeToString(new byte[16]);
        assertThatThrownBy(() -> ConfiguredKeyProvider.of("k1", Map.of("k1", shortKey)))
                .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("32 bytes").hasMessageNotContaining(shortKey);
        assertThatThrownBy(() -> ConfiguredKeyProvider.of("k1", Map.of("k1", "not base64!")))
                .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("base64").hasMessageNotContaining("not base64!");
        assertThatThrownBy(() -> ConfiguredKeyProvider.of("k9", Map.of("k1", TestKeys.K1)))
                .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("'k9'").hasMessageNotContaining(TestKeys.K1);
        assertThatThrownBy(() -> ConfiguredKeyProvider.of("k1", Map.of()))
                .isInstanceOf(InvalidConfigurationException.class);
    }
}
