package dev.hotconf.sidecar.run;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Found by {@link ConfigServerDurationFuzzTest}: {@code wait=9223372036854775807m} makes
 * Duration.ofMinutes overflow with ArithmeticException, which is not the IllegalArgumentException
 * the GET /config handler catches for a 400.
 */
@org.junit.jupiter.api.Timeout(30)
class ConfigServerDurationRegressionTest {
  @ParameterizedTest
  @ValueSource(strings = {"9223372036854775807m", "153722867280912931m", "04444044444444444444m"})
  void overflowingWaitIsRejectedAsABadArgument(String wait) {
    assertThatThrownBy(() -> RequestParser.duration(wait))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
