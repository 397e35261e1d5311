package dev.hotconf.sidecar.fuzz;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hotconf.ConfigException;
import dev.hotconf.sidecar.run.SidecarSettings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Found by {@link SidecarConfigFuzzTest} (in the former hand-written parser): a duration whose
 * number overflows escaped as NumberFormatException (digits beyond a long) or ArithmeticException
 * (Duration.ofMinutes/ofHours overflow) instead of a problem. Now config-core's one duration
 * grammar reads it, and must report it as a problem at the value.
 */
@org.junit.jupiter.api.Timeout(30)
class SidecarConfigRegressionTest {
  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"99999999999999999999s", "9223372036854775807m", "9223372036854775807h"})
  void overflowingDurationIsAParseProblem(String duration) throws Exception {
    Path file = dir.resolve("sidecar.yaml");
    Files.writeString(
        file,
        "sources:\n  - type: file\n    path: a.yaml\nstart-timeout: " + duration + "\n",
        StandardCharsets.UTF_8);
    assertThatThrownBy(() -> SidecarSettings.load(file))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("start-timeout: expected a duration");
  }
}
