package dev.hotconf.sidecar.run;

import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/*
 * Design: one daemon thread per target while it has something to deliver, so a slow or dead target
 * never delays another; the thread ends once the newest version is delivered and IDLE_END has
 * passed without a newer one (so a burst of versions reuses it), and the next offer starts a new
 * one, so an idle sidecar holds no push threads however many targets it has. `thread` is read and written only under `signal`,
 * where the worker also decides to end, so an offer either finds the thread still running (and
 * wakes it) or starts a new one. Only the
 * newest version matters: `latest` is replaced on every publish, and every attempt (first try or
 * retry) sends whatever is newest at that moment, so a pending retry of an old version turns into
 * the newer one, and since versions only grow a target never gets an older version after a newer
 * one. Retries use resilience4j-retry forever with exponential backoff that keeps jitter at its cap
 * ("equal jitter": half fixed, half random), and stop when the thread is interrupted. Any failure
 * of an attempt is retried with backoff, Errors included (an OutOfMemoryError from one attempt must
 * not turn into a tight loop): attempt() reports it and hands resilience4j an Exception. A
 * DeliveryRefused (same input, same failure: a template error, a check that exits non-zero) is not
 * retried: the version is settled as failed, and the worker waits for a newer version or for
 * redeliver() (a file target's template changed), which makes the newest version due again.
 */
final class TargetWorker implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TargetWorker.class);

  /** How long a delivery thread waits for a newer version before it ends. */
  static final Duration IDLE_END = Duration.ofSeconds(2);

  private final PushTarget target;
  private final Clock clock;
  private final AtomicReference<Published> latest = new AtomicReference<>();
  private final Object signal = new Object();
  private final Retry retry;
  private final Duration maxBackoff;
  private Thread thread; // guarded by signal; null when no delivery is running
  private boolean started; // guarded by signal
  private final AtomicLong failures = new AtomicLong();
  private volatile long deliveredVersion;

  /** The newest version delivered or refused (not to be tried again unless redeliver()). */
  private volatile long settledVersion;

  /** Set by redeliver(): the newest version is due again, whatever was settled. */
  private volatile boolean again;

  private volatile Instant deliveredAt;
  private volatile Instant latestSince;
  private volatile String lastError;
  private volatile Instant lastErrorAt;
  private volatile boolean attempting;
  private volatile boolean running = true;

  TargetWorker(PushTarget target, Duration initialBackoff, Duration maxBackoff, Clock clock) {
    this.target = target;
    this.clock = clock;
    this.maxBackoff = maxBackoff;
    this.retry =
        Retry.of(
            "push-" + target.name(),
            RetryConfig.custom()
                .maxAttempts(Integer.MAX_VALUE)
                .intervalFunction(jitteredBackoff(initialBackoff, maxBackoff))
                .retryOnException(e -> running && !(e instanceof InterruptedException))
                .failAfterMaxAttempts(false)
                .build());
  }

  /**
   * Exponential backoff from {@code initial} to {@code max}, half fixed and half random at every
   * step.
   */
  static IntervalFunction jitteredBackoff(Duration initial, Duration max) {
    long initialMs = Math.max(1, initial.toMillis());
    long maxMs = Math.max(initialMs, max.toMillis());
    return attempt -> {
      double exp = initialMs * Math.pow(2, Math.min(30, Math.max(0, attempt - 1)));
      long base = (long) Math.min(maxMs, exp);
      return base / 2 + ThreadLocalRandom.current().nextLong(base / 2 + 1);
    };
  }

  void start() {
    synchronized (signal) {
      started = true;
      ensureThread();
    }
  }

  /** Starts a delivery thread if there is something to deliver and none runs. Under signal. */
  private void ensureThread() {
    if (started && running && thread == null && !idle()) {
      Thread t = new Thread(this::loop, "hotconf-push-" + target.name());
      t.setDaemon(true);
      thread = t;
      t.start();
    }
  }

  /** Makes {@code p} the version to deliver (replacing any older pending one). */
  void offer(Published p) {
    Published prev =
        latest.getAndAccumulate(
            p, (old, now) -> old == null || now.version() > old.version() ? now : old);
    if (prev == null || p.version() > prev.version()) {
      latestSince = clock.instant();
    }
    synchronized (signal) {
      signal.notifyAll();
      ensureThread();
    }
  }

  /** Makes the newest version due again (a file target's template changed). */
  void redeliver() {
    again = true;
    synchronized (signal) {
      signal.notifyAll();
      ensureThread();
    }
  }

  private void loop() {
    try {
      while (running) {
        synchronized (signal) {
          long deadline = System.nanoTime() + IDLE_END.toNanos();
          while (running && idle()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
              thread = null; // an offer from now on starts a new thread
              return;
            }
            try {
              TimeUnit.NANOSECONDS.timedWait(signal, left);
            } catch (InterruptedException e) {
              return;
            }
          }
        }
        if (running) {
          deliverWithRetry();
        }
      }
    } finally {
      synchronized (signal) {
        if (thread == Thread.currentThread()) {
          thread = null;
        }
      }
    }
  }

  private void deliverWithRetry() {
    attempting = true;
    try {
      Retry.decorateCheckedRunnable(retry, this::attempt).run();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running = false;
    } catch (Throwable t) {
      if (running) {
        LOG.warn("push to {} gave up unexpectedly: {}", target.name(), t.toString());
        pause(); // never a tight loop
      }
    } finally {
      attempting = false;
      wakeWaiters();
    }
  }

  private void attempt() throws Exception {
    if (!running) {
      throw new InterruptedException("stopping");
    }
    again = false;
    Published p = latest.get();
    try {
      target.deliver(p);
    } catch (DeliveryRefused e) {
      failures.incrementAndGet();
      if (!e.getMessage().equals(lastError)) {
        LOG.warn(
            "version {} cannot be applied to {} ({}); waiting for a new version",
            p.version(),
            target.name(),
            e.getMessage());
      }
      lastError = e.getMessage();
      lastErrorAt = clock.instant();
      settledVersion = Math.max(settledVersion, p.version());
      wakeWaiters();
      return;
    } catch (InterruptedException e) {
      throw e;
    } catch (Throwable e) {
      failures.incrementAndGet();
      String message =
          e instanceof FilePushTarget.ApplyFailed
              ? e.getMessage()
              : e.getMessage() == null
                  ? e.getClass().getSimpleName()
                  : e.getClass().getSimpleName() + ": " + e.getMessage();
      if (!message.equals(lastError)) {
        LOG.warn(
            "push of version {} to {} failed ({}); retrying with backoff",
            p.version(),
            target.name(),
            message);
      }
      lastError = message;
      lastErrorAt = clock.instant();
      if (e instanceof Exception ex) {
        throw ex;
      }
      throw new AttemptFailed(message);
    }
    deliveredVersion = p.version();
    settledVersion = Math.max(settledVersion, p.version());
    deliveredAt = clock.instant();
    lastError = null;
    wakeWaiters();
  }

  private void pause() {
    try {
      Thread.sleep(Math.max(1, maxBackoff.toMillis()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running = false;
    }
  }

  /** An attempt ended with an Error (kept out of resilience4j, which would not retry it). */
  private static final class AttemptFailed extends Exception {
    private static final long serialVersionUID = 1L;

    AttemptFailed(String message) {
      super(message, null, false, false);
    }
  }

  private void wakeWaiters() {
    synchronized (signal) {
      signal.notifyAll();
    }
  }

  /**
   * Waits until everything offered is delivered (a push in flight and its retries, or a version
   * offered just before and not yet attempted), or until {@code deadlineNanos} ({@link
   * System#nanoTime()} scale) passes. Returns at once for a worker never started or closed.
   */
  void awaitSettled(long deadlineNanos) throws InterruptedException {
    synchronized (signal) {
      while (started && running && !idle()) {
        long left = deadlineNanos - System.nanoTime();
        if (left <= 0) {
          return;
        }
        TimeUnit.NANOSECONDS.timedWait(signal, left);
      }
    }
  }

  /** Whether everything offered has been delivered (or refused) and nothing is due again. */
  boolean idle() {
    Published p = latest.get();
    return p == null || (p.version() <= settledVersion && !again);
  }

  String name() {
    return target.name();
  }

  long deliveredVersion() {
    return deliveredVersion;
  }

  long failures() {
    return failures.get();
  }

  Instant deliveredAt() {
    return deliveredAt;
  }

  String lastError() {
    return lastError;
  }

  Instant lastErrorAt() {
    return lastErrorAt;
  }

  /** The target (for the details status and metrics show). */
  PushTarget target() {
    return target;
  }

  /** How long the newest version has been waiting for delivery (zero when delivered). */
  Duration lag() {
    Instant since = latestSince;
    return idle() || since == null ? Duration.ZERO : Duration.between(since, clock.instant());
  }

  /** Whether a delivery thread is running (tests). */
  boolean threadAlive() {
    synchronized (signal) {
      return thread != null;
    }
  }

  @Override
  public void close() {
    Thread t;
    synchronized (signal) {
      running = false;
      t = thread;
      signal.notifyAll();
    }
    if (t == null) {
      return;
    }
    t.interrupt();
    try {
      t.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
