package dev.hotconf.consul.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.resilience4j.core.IntervalFunction;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class FullJitterBackoffTest {

  @Test
  void ceilingDoublesFromInitialUpToTheCap() {
    FullJitterBackoff backoff =
        new FullJitterBackoff(Duration.ofSeconds(1), Duration.ofSeconds(60));
    assertThat(backoff.ceilingMillis(1)).isEqualTo(1000);
    assertThat(backoff.ceilingMillis(2)).isEqualTo(2000);
    assertThat(backoff.ceilingMillis(6)).isEqualTo(32000);
    assertThat(backoff.ceilingMillis(7)).isEqualTo(60000);
    assertThat(backoff.ceilingMillis(1_000_000)).isEqualTo(60000); // no overflow with "forever"
    assertThat(backoff.floorMillis()).isEqualTo(500);
  }

  @Test
  void drawsSpanFloorToCeiling() {
    assertThat(
            new FullJitterBackoff(Duration.ofSeconds(1), Duration.ofSeconds(60), () -> 0.0)
                .apply(10))
        .isEqualTo(500L);
    assertThat(
            new FullJitterBackoff(
                    Duration.ofSeconds(1), Duration.ofSeconds(60), () -> 0.999_999_999)
                .apply(10))
        .isEqualTo(60_000L);
    assertThat(
            new FullJitterBackoff(Duration.ofSeconds(1), Duration.ofSeconds(60), () -> 0.5)
                .apply(3))
        .isBetween(2200L, 2300L);
  }

  @Test
  void keepsJitterAtTheCapUnlikeResilience4jsExponentialRandomBackoff() {
    FullJitterBackoff ours = new FullJitterBackoff(Duration.ofSeconds(1), Duration.ofSeconds(60));
    Set<Long> atCap = new HashSet<>();
    for (int i = 0; i < 200; i++) {
      long wait = ours.apply(50);
      assertThat(wait).isBetween(500L, 60_000L);
      atCap.add(wait);
    }
    assertThat(atCap).hasSizeGreaterThan(150); // spread, not lock step

    IntervalFunction theirs =
        IntervalFunction.ofExponentialRandomBackoff(
            Duration.ofSeconds(1), 2.0, 0.5, Duration.ofSeconds(60));
    Set<Long> theirsAtCap = new HashSet<>();
    for (int i = 0; i < 50; i++) {
      theirsAtCap.add(theirs.apply(50));
    }
    assertThat(theirsAtCap).containsExactly(60_000L); // the trap this class avoids
  }

  @Test
  void tinyIntervalsForTestsStillHaveAFloor() {
    FullJitterBackoff backoff =
        new FullJitterBackoff(Duration.ofMillis(1), Duration.ofMillis(1), () -> 0.0);
    assertThat(backoff.apply(1)).isEqualTo(1L);
  }
}
