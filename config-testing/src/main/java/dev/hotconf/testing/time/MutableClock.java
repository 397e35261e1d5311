package dev.hotconf.testing.time;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;

/**
 * A clock a test moves by hand, for code that takes a {@link Clock} (session TTLs, rate limits,
 * rollout bake times): {@code new MutableClock(Instant.parse("2026-01-01T00:00:00Z"))}, then {@link
 * #advance(Duration)}. Thread-safe: the instant is a volatile field, so a thread under test sees an
 * advance at once. Null arguments are rejected. UTC only.
 */
public final class MutableClock extends Clock {
  private volatile Instant now;

  /** A clock standing at {@code start}. */
  public MutableClock(Instant start) {
    this.now = Objects.requireNonNull(start, "start");
  }

  /** Moves the clock forward (or back, with a negative duration) by {@code d}. */
  public void advance(Duration d) {
    now = now.plus(Objects.requireNonNull(d, "d"));
  }

  @Override
  public Instant instant() {
    return now;
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  /** Unsupported: the clock is UTC only. */
  @Override
  public Clock withZone(ZoneId zone) {
    throw new UnsupportedOperationException("MutableClock is UTC only");
  }

  @Override
  public String toString() {
    return "MutableClock[" + now + "]";
  }
}
