package dev.hotconf.testing.consul;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The ?wait= parser and the timeout rule, without HTTP. */
@Timeout(10)
class WaitsTest {

  @Test
  void parsesGoDurations() {
    assertThat(Waits.parseGoDuration("0")).isEqualTo(Duration.ZERO);
    assertThat(Waits.parseGoDuration("10ns")).isEqualTo(Duration.ofNanos(10));
    assertThat(Waits.parseGoDuration("10us")).isEqualTo(Duration.ofNanos(10_000));
    assertThat(Waits.parseGoDuration("10\u00b5s")).isEqualTo(Duration.ofNanos(10_000));
    assertThat(Waits.parseGoDuration("150ms")).isEqualTo(Duration.ofMillis(150));
    assertThat(Waits.parseGoDuration("5s")).isEqualTo(Duration.ofSeconds(5));
    assertThat(Waits.parseGoDuration("5m")).isEqualTo(Duration.ofMinutes(5));
    assertThat(Waits.parseGoDuration("2h")).isEqualTo(Duration.ofHours(2));
    assertThat(Waits.parseGoDuration("1h2m3s")).isEqualTo(Duration.ofSeconds(3723));
    assertThat(Waits.parseGoDuration("1.5m")).isEqualTo(Duration.ofSeconds(90));
    assertThat(Waits.parseGoDuration(".5s")).isEqualTo(Duration.ofMillis(500));
    assertThat(Waits.parseGoDuration("-1s")).isEqualTo(Duration.ofSeconds(-1));
  }

  @Test
  void rejectsWhatGoRejects() {
    for (String bad : new String[] {"", "5", "s", "5x", "1..5s", "-", "5 s", "1e3s"}) {
      assertThatThrownBy(() -> Waits.parseGoDuration(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void absentZeroOrNegativeWaitMeansTheDefaultAndLongWaitsAreCapped() {
    Duration def = Duration.ofMinutes(5);
    Duration max = Duration.ofMinutes(10);

    assertThat(Waits.effectiveTimeout(null, def, max, null)).isEqualTo(def);
    assertThat(Waits.effectiveTimeout(Duration.ZERO, def, max, null)).isEqualTo(def);
    assertThat(Waits.effectiveTimeout(Duration.ofSeconds(-3), def, max, null)).isEqualTo(def);
    assertThat(Waits.effectiveTimeout(Duration.ofSeconds(7), def, max, null))
        .isEqualTo(Duration.ofSeconds(7));
    assertThat(Waits.effectiveTimeout(Duration.ofHours(1), def, max, null)).isEqualTo(max);
  }

  @Test
  void jitterIsWithinZeroAndOneSixteenthOfTheCappedWait() {
    Random random = new Random(7);
    Duration min = null;
    Duration maxSeen = null;
    for (int i = 0; i < 10_000; i++) {
      Duration t =
          Waits.effectiveTimeout(
              Duration.ofHours(1),
              ConsulTestServer.DEFAULT_WAIT,
              ConsulTestServer.MAX_WAIT,
              random);
      assertThat(t)
          .isGreaterThanOrEqualTo(Duration.ofMinutes(10))
          .isLessThan(Duration.ofMinutes(10).plus(Duration.ofMinutes(10).dividedBy(16)));
      min = min == null || t.compareTo(min) < 0 ? t : min;
      maxSeen = maxSeen == null || t.compareTo(maxSeen) > 0 ? t : maxSeen;
    }
    assertThat(maxSeen.minus(min))
        .as("draws spread over most of the jitter range")
        .isGreaterThan(Duration.ofSeconds(30));
  }
}
