package dev.hotconf.consul.internal;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * The blocking-query loop's rate limiter, as Consul's documentation asks for: a token bucket that
 * starts full with {@code burst} tokens and gains one token every {@code refill}, up to {@code
 * burst}. Every pass of the loop (one read, blocking or not) takes a token.
 *
 * <p>With the defaults (burst 3, one token per second) an isolated change is read at once (the
 * quiet loop spends one token per blocking wait of a minute, so the bucket is full), so are edits
 * made a second or more apart and two more right behind one, and under continuous churn (or when
 * every answer comes back at once, e.g. a stuck or reset index) the loop settles at one read per
 * second. The source's very first read does not take a token, so the full burst is there for the
 * first changes after start.
 *
 * <p>Not thread-safe: owned by the source's worker thread. Not part of the public API.
 */
public final class TokenBucket {
  private final int burst;
  private final long refillNanos;
  private final LongSupplier nanoTime;
  private double tokens;
  private long last;

  public TokenBucket(int burst, Duration refill, LongSupplier nanoTime) {
    if (burst < 1) {
      throw new IllegalArgumentException("burst must be >= 1 but was " + burst);
    }
    if (refill.isZero() || refill.isNegative()) {
      throw new IllegalArgumentException("refill must be > 0 but was " + refill);
    }
    this.burst = burst;
    this.refillNanos = refill.toNanos();
    this.nanoTime = nanoTime;
    this.tokens = burst;
    this.last = nanoTime.getAsLong();
  }

  /**
   * Takes a token if one is available and returns 0; otherwise takes nothing and returns how many
   * nanoseconds to wait before a token will be available (then call again).
   */
  public long tryAcquire() {
    long now = nanoTime.getAsLong();
    long elapsed = now - last;
    if (elapsed > 0) {
      tokens = Math.min(burst, tokens + (double) elapsed / refillNanos);
      last = now;
    }
    if (tokens >= 1) {
      tokens -= 1;
      return 0;
    }
    return Math.max(1, (long) Math.ceil((1 - tokens) * refillNanos));
  }

  /** Tokens available now (for tests and diagnostics). */
  public double available() {
    long now = nanoTime.getAsLong();
    return Math.min(burst, tokens + (double) Math.max(0, now - last) / refillNanos);
  }
}
