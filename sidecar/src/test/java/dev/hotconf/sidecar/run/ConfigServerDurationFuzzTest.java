package dev.hotconf.sidecar.run;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.time.Duration;

/**
 * Fuzzes {@code RequestParser.duration}, which reads the {@code wait} query parameter of {@code GET
 * /config?version=N&wait=...} (in this package to reach the package-private method). Contract: a
 * non-negative duration, or IllegalArgumentException (which the server turns into a 400); anything
 * else escapes the handler's catch.
 */
class ConfigServerDurationFuzzTest {
  @FuzzTest(maxDuration = "10m")
  void duration(FuzzedDataProvider data) {
    String text = data.consumeRemainingAsString();
    Duration d;
    try {
      d = RequestParser.duration(text);
    } catch (IllegalArgumentException e) {
      return;
    }
    assertNotNull(d);
    assertFalse(d.isNegative(), () -> "negative wait for '" + text + "'");
  }
}
