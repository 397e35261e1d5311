package dev.hotconf.consul.internal;

import io.github.resilience4j.core.IntervalFunction;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * The wait before each retry of a failing Consul read: a ceiling that grows {@value #MULTIPLIER}x
 * per retry from {@code initial} to {@code max}, and a wait drawn uniformly from {@code [ceiling/2,
 * ceiling]} ("equal jitter").
 *
 * <p>Why this shape (the module README has the numbers):
 *
 * <ul>
 *   <li>Recovery is bounded, not random: once Consul answers again, the next retry comes within the
 *       ceiling in force at that moment. After a 15 s outage that ceiling is 7.6-11.4 s with the
 *       defaults (1 s, 20 s), so the pending change goes live about 2 s after the end at the median
 *       and within 11.4 s at worst. Full jitter ({@code [small floor, ceiling]}) with a doubling
 *       ceiling and a 60 s cap, as before, left a draw anywhere in 0.5-32 s standing at the end of
 *       a 15 s outage (measured 0.2-19 s).
 *   <li>The budget holds: at most 8 requests during a 15 s outage; at the cap one request per
 *       {@code max/2} to {@code max} (10-20 s), never more.
 *   <li>The jitter stays at the cap (resilience4j's {@code ofExponentialRandomBackoff} caps after
 *       randomising, so clients retry in lock step there), and half of the ceiling is spread, so a
 *       fleet that failed together does not come back together.
 *   <li>The floor of {@code ceiling/2} makes a hot loop impossible: a window {@code W} holds at
 *       most {@code 1 + W / (initial/2)} attempts.
 * </ul>
 *
 * <p>Thread-safe. Not part of the public API.
 */
public final class RetryBackoff implements IntervalFunction {
  /** How much the ceiling grows per retry. */
  public static final double MULTIPLIER = 1.5;

  private final long initialMillis;
  private final long maxMillis;
  private final DoubleSupplier random;

  public RetryBackoff(Duration initial, Duration max) {
    this(initial, max, () -> ThreadLocalRandom.current().nextDouble());
  }

  /** {@code random} returns values in [0, 1). */
  public RetryBackoff(Duration initial, Duration max, DoubleSupplier random) {
    this.initialMillis = Math.max(1, initial.toMillis());
    this.maxMillis = Math.max(initialMillis, max.toMillis());
    this.random = random;
  }

  /** The upper bound of the wait before retry number {@code attempt} (1-based). */
  public long ceilingMillis(int attempt) {
    int n = Math.max(1, attempt);
    double ceiling = initialMillis * Math.pow(MULTIPLIER, n - 1);
    return ceiling >= maxMillis ? maxMillis : (long) ceiling;
  }

  /** The lower bound of the wait before retry number {@code attempt}: half the ceiling. */
  public long floorMillis(int attempt) {
    return Math.max(1, ceilingMillis(attempt) / 2);
  }

  @Override
  public Long apply(Integer attempt) {
    int n = attempt == null ? 1 : attempt;
    long ceiling = ceilingMillis(n);
    long floor = Math.min(floorMillis(n), ceiling);
    double r = random.getAsDouble();
    return Math.min(ceiling, floor + (long) Math.floor(r * (ceiling - floor + 1)));
  }
}
