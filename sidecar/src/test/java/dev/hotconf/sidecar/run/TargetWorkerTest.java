package dev.hotconf.sidecar.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hotconf.HotConfig;
import dev.hotconf.source.Sources;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A push worker backs off after every failure, Errors included (issue 14, finding 6). */
@Timeout(30)
class TargetWorkerTest {
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
            HotConfig.builder().source(Sources.memory("m", Map.of("a", 1))).build();
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
