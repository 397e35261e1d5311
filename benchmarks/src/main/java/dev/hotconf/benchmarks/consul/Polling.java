package dev.hotconf.benchmarks.consul;

import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** Waiting on a condition by park-polling (10 µs parks), never by a fixed sleep. */
final class Polling {
  private Polling() {}

  static void await(BooleanSupplier condition, Duration timeout, String what)
      throws TimeoutException {
    await(condition, timeout, what, 10_000);
  }

  /**
   * As {@link #await(BooleanSupplier, Duration, String)} with {@code parkNanos} between checks: for
   * programs that time from timestamps the clients record themselves, where a busy checker would
   * only take a core from the clients being measured.
   */
  static void await(BooleanSupplier condition, Duration timeout, String what, long parkNanos)
      throws TimeoutException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new TimeoutException("timed out after " + timeout + " waiting for " + what);
      }
      LockSupport.parkNanos(parkNanos);
    }
  }

  /** Sleeps {@code nanos} as part of a measured scenario (the gap between changes). */
  static void pause(long nanos) throws InterruptedException {
    if (nanos > 0) {
      Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
    }
  }
}
