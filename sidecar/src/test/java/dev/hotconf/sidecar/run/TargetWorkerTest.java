package dev.hotconf.sidecar.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hotconf.HotConfig;
import dev.hotconf.parse.ConfigFormat;
import dev.hotconf.source.MemorySource;
import dev.hotconf.source.Sources;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A target's worker thread lives only while it has something to deliver, and backs off after every
 * failure.
 */
@Timeout(60)
class TargetWorkerTest {

  /** Records what it got and on which thread; fails while {@code failures} is positive. */
  private static final class Recording implements PushTarget {
    final List<Long> versions = new CopyOnWriteArrayList<>();
    final List<String> threads = new CopyOnWriteArrayList<>();
    final AtomicInteger failures = new AtomicInteger();

    @Override
    public String name() {
      return "recording";
    }

    @Override
    public void deliver(Published published) {
      if (failures.getAndDecrement() > 0) {
        throw new IllegalStateException("scripted failure");
      }
      versions.add(published.version());
      threads.add(Thread.currentThread().getName());
    }
  }

  private static long pushThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive)
        .filter(t -> t.getName().equals("hotconf-push-recording"))
        .count();
  }

  @Test
  void anIdleWorkerHoldsNoThreadAndTheNextVersionIsStillDelivered() {
    MemorySource source = Sources.text("m", ConfigFormat.YAML, "n: 0\n");
    Recording target = new Recording();
    try (HotConfig config = HotConfig.builder().source(source).build();
        TargetWorker worker =
            new TargetWorker(
                target, Duration.ofMillis(1), Duration.ofMillis(5), Clock.systemUTC())) {
      worker.start();
      assertThat(worker.threadAlive()).isFalse(); // nothing offered yet: no thread

      worker.offer(Published.of(config.snapshot()));
      await().until(() -> worker.deliveredVersion() == 1);
      await().until(() -> !worker.threadAlive() && pushThreads() == 0);

      source.update(ConfigFormat.YAML, "n: 1\n");
      await().until(() -> config.version() == 2);
      worker.offer(Published.of(config.snapshot()));
      await().until(() -> worker.deliveredVersion() == 2);
      await().until(() -> !worker.threadAlive() && pushThreads() == 0);

      assertThat(target.versions).containsExactly(1L, 2L);
      assertThat(target.threads).containsOnly("hotconf-push-recording");
    }
  }

  @Test
  void aFailingTargetKeepsItsThreadUntilTheNewestVersionIsDelivered() {
    MemorySource source = Sources.text("m", ConfigFormat.YAML, "n: 0\n");
    Recording target = new Recording();
    target.failures.set(3);
    try (HotConfig config = HotConfig.builder().source(source).build();
        TargetWorker worker =
            new TargetWorker(
                target, Duration.ofMillis(1), Duration.ofMillis(5), Clock.systemUTC())) {
      worker.start();
      worker.offer(Published.of(config.snapshot()));
      source.update(ConfigFormat.YAML, "n: 1\n");
      await().until(() -> config.version() == 2);
      worker.offer(Published.of(config.snapshot()));

      await().until(() -> worker.deliveredVersion() == 2);
      await().until(() -> !worker.threadAlive());
      assertThat(worker.failures()).isEqualTo(3);
      assertThat(target.versions).isSorted().doesNotHaveDuplicates().endsWith(2L);
    }
  }

  @Test
  void closeEndsARetryingThread() {
    MemorySource source = Sources.text("m", ConfigFormat.YAML, "n: 0\n");
    Recording target = new Recording();
    target.failures.set(Integer.MAX_VALUE);
    try (HotConfig config = HotConfig.builder().source(source).build()) {
      TargetWorker worker =
          new TargetWorker(target, Duration.ofMillis(1), Duration.ofMillis(5), Clock.systemUTC());
      worker.start();
      worker.offer(Published.of(config.snapshot()));
      await().until(() -> worker.failures() > 2);
      assertThat(worker.threadAlive()).isTrue();
      worker.close();
      assertThat(worker.threadAlive()).isFalse();
      await().until(() -> pushThreads() == 0);
    }
  }

  /** Issue 14, finding 6: an Error from a target is a failure retried with backoff. */
  @Test
  void anErrorFromATargetIsAFailureRetriedWithBackoffNotATightLoop() throws Exception {
    AtomicInteger attempts = new AtomicInteger();
    PushTarget oom =
        new PushTarget() {
          @Override
          public String name() {
            return "oom";
          }

          @Override
          public void deliver(Published p) {
            attempts.incrementAndGet();
            throw new OutOfMemoryError("Required array size too large");
          }
        };
    try (HotConfig config =
            HotConfig.builder().source(Sources.memory("m", java.util.Map.of("a", 1))).build();
        TargetWorker worker =
            new TargetWorker(oom, Duration.ofHours(1), Duration.ofHours(1), Clock.systemUTC())) {
      worker.start();
      worker.offer(Published.of(config.snapshot()));
      await().until(() -> worker.failures() == 1);
      assertThat(worker.lastError()).isEqualTo("OutOfMemoryError: Required array size too large");
      assertThat(worker.deliveredVersion()).isZero();
      // the next attempt waits for the backoff (an hour here): nothing happens meanwhile
      await()
          .during(Duration.ofMillis(500))
          .atMost(Duration.ofSeconds(5))
          .until(() -> attempts.get() == 1 && worker.failures() == 1);
    }
  }
}
