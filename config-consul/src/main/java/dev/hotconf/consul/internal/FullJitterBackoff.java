package dev.hotconf.consul.internal;

import io.github.resilience4j.core.IntervalFunction;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * Exponential backoff with full jitter that keeps its jitter at the cap (resilience4j's {@code
 * ofExponentialRandomBackoff} randomises first and caps afterwards, so once at the cap every client
 * retries in lock step).
 *
 * <p>For retry number {@code n} (1 for the first retry) the ceiling is {@code min(max, initial *
 * 2^(n-1))} and the wait is drawn uniformly from {@code [floor, ceiling]} where {@code floor =
 * initial / 2} (never above the ceiling). The floor is small compared with the range, so the spread
 * stays "full" in practice, but it makes a hot loop impossible even with unlucky draws: at most
 * {@code 1 + window / floor} attempts fit in any window.
 *
 * <p>Thread-safe. Not part of the public API.
 */
public final class FullJitterBackoff implements IntervalFunction {
  private final long initialMillis;
  private final long maxMillis;
  private final long floorMillis;
  private final DoubleSupplier random;

  public FullJitterBackoff(Duration initial, Duration max) {
    this(initial, max, () -> ThreadLocalRandom.current().nextDouble());
  }

  /** {@code random} returns values in [0, 1). */
  public FullJitterBackoff(Duration initial, Duration max, DoubleSupplier random) {
    this.initialMillis = Math.max(1, initial.toMillis());
    this.maxMillis = Math.max(initialMillis, max.toMillis());
    this.floorMillis = Math.max(1, initialMillis / 2);
    this.random = random;
  }

  /** The upper bound of the wait before retry number {@code attempt} (1-based). */
  public long ceilingMillis(int attempt) {
    int n = Math.max(1, attempt);
    double ceiling = initialMillis * Math.pow(2, n - 1);
    return ceiling >= maxMillis ? maxMillis : (long) ceiling;
  }

  /** The lower bound of every wait. */
  public long floorMillis() {
    return floorMillis;
  }

  @Override
  public Long apply(Integer attempt) {
    long ceiling = ceilingMillis(attempt == null ? 1 : attempt);
    long floor = Math.min(floorMillis, ceiling);
    double r = random.getAsDouble();
    return floor + (long) Math.floor(r * (ceiling - floor + 1));
  }
}
