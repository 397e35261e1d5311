package dev.hotconf.consul.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class TokenBucketTest {
  private final AtomicLong now = new AtomicLong(1_000_000_000L);
  private final TokenBucket bucket = new TokenBucket(2, Duration.ofSeconds(15), now::get);

  private void advance(Duration d) {
    now.addAndGet(d.toNanos());
  }

  @Test
  void burstOfTwoThenOneReadPer15Seconds() {
    assertThat(bucket.tryAcquire()).isZero();
    assertThat(bucket.tryAcquire()).isZero();
    long wait = bucket.tryAcquire();
    assertThat(wait).isEqualTo(Duration.ofSeconds(15).toNanos());
    advance(Duration.ofSeconds(10));
    assertThat(bucket.tryAcquire())
        .isCloseTo(Duration.ofSeconds(5).toNanos(), org.assertj.core.data.Offset.offset(10L));
    advance(Duration.ofSeconds(5));
    assertThat(bucket.tryAcquire()).isZero();
    assertThat(bucket.tryAcquire()).isPositive();
  }

  @Test
  void underChurnTheLoopSettlesAtOneReadPerRefill() {
    int reads = 0;
    for (long t = 0;
        t < Duration.ofMinutes(10).toMillis();
        t += 100) { // a read attempt every 100 ms
      if (bucket.tryAcquire() == 0) {
        reads++;
      }
      advance(Duration.ofMillis(100));
    }
    assertThat(reads).isBetween(2 + 40 - 1, 2 + 40); // burst + 600 s / 15 s
  }

  @Test
  void aQuietLoopAlwaysHasTokensForAnIsolatedChange() {
    bucket.tryAcquire(); // initial read
    bucket.tryAcquire(); // blocking read, waits 5 minutes
    advance(Duration.ofMinutes(5));
    assertThat(bucket.available()).isEqualTo(2.0);
    assertThat(bucket.tryAcquire()).isZero(); // change: read at once
    assertThat(bucket.tryAcquire()).isZero(); // another change right after: still at once
  }
}
