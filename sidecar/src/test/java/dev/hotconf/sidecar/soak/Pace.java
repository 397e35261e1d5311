package dev.hotconf.sidecar.soak;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The soak's stop signal, also used to pace the simulated actors (writers, faulty servers): a pause
 * is part of the scenario (a gap between two writes, a slow server), never a wait for hotconf, and
 * it ends early when the soak stops. Tests synchronise on outcomes with Awaitility.
 */
final class Pace {
  private final CountDownLatch stop = new CountDownLatch(1);

  /** Pauses for {@code d} as part of the scenario; returns false once the soak is stopping. */
  boolean pause(Duration d) {
    try {
      return !stop.await(d.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  boolean running() {
    return stop.getCount() > 0;
  }

  void stop() {
    stop.countDown();
  }
}
