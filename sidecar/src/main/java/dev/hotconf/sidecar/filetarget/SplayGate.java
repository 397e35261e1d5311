package dev.hotconf.sidecar.filetarget;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

/*
 * Design: the gate sits in front of a target's worker. The first offer of a quiet period draws a
 * delay in [0, splay] and schedules one release; later offers before the release only replace the
 * pending item (the newest wins, and the release time stays, so a stream of versions cannot
 * postpone the target forever). The random source and the scheduler are injected so that tests
 * assert the spread from the delays drawn, with no clock involved.
 */

/**
 * Holds each new item (a version for one target) for a random time in [0, {@code splay}] before
 * handing it on, so that a fleet of sidecars does not reload its processes in the same second; a
 * newer item arriving during the wait replaces the pending one. Thread-safe.
 *
 * @param <T> what is held (the sidecar's published version)
 */
public final class SplayGate<T> {
  /** Runs a task after a delay; {@link #of(ScheduledExecutorService)} adapts an executor. */
  @FunctionalInterface
  public interface Scheduler {
    void schedule(Runnable task, Duration delay);

    static Scheduler of(ScheduledExecutorService executor) {
      return (task, delay) -> executor.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
    }
  }

  private final Duration splay;
  private final RandomGenerator random;
  private final Scheduler scheduler;
  private final Clock clock;
  private final Consumer<T> downstream;
  private T pending;
  private Instant releaseAt;

  /**
   * @param splay the longest wait; zero hands every item on at once
   * @param random draws each wait (one generator per gate, not shared with other threads)
   * @param downstream receives released items, on the scheduler's thread (or the caller's when the
   *     splay is zero)
   */
  public SplayGate(
      Duration splay,
      RandomGenerator random,
      Scheduler scheduler,
      Clock clock,
      Consumer<T> downstream) {
    if (splay.isNegative()) {
      throw new IllegalArgumentException("splay must not be negative");
    }
    this.splay = splay;
    this.random = Objects.requireNonNull(random, "random");
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.downstream = Objects.requireNonNull(downstream, "downstream");
  }

  /** Hands {@code item} on after the splay, or replaces the item already waiting. */
  public void offer(T item) {
    Objects.requireNonNull(item, "item");
    if (splay.isZero()) {
      downstream.accept(item);
      return;
    }
    Duration delay;
    synchronized (this) {
      boolean waiting = pending != null;
      pending = item;
      if (waiting) {
        return;
      }
      delay = Duration.ofNanos(random.nextLong(splay.toNanos() + 1));
      releaseAt = clock.instant().plus(delay);
    }
    scheduler.schedule(this::release, delay);
  }

  /** Hands {@code item} on now, dropping any pending item (the first version after start). */
  public void pass(T item) {
    synchronized (this) {
      pending = null;
      releaseAt = null;
    }
    downstream.accept(item);
  }

  private void release() {
    T item;
    synchronized (this) {
      item = pending;
      pending = null;
      releaseAt = null;
    }
    if (item != null) {
      downstream.accept(item);
    }
  }

  /** When the pending item will be handed on, or null when none waits. */
  public synchronized Instant releaseAt() {
    return releaseAt;
  }

  /** The item waiting, or null. */
  public synchronized T pending() {
    return pending;
  }

  /** The longest wait. */
  public Duration splay() {
    return splay;
  }
}
