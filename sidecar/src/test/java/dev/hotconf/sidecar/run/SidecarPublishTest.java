package dev.hotconf.sidecar.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hotconf.ConfigSnapshot;
import dev.hotconf.HotConfig;
import dev.hotconf.source.MemorySource;
import dev.hotconf.source.Sources;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * At start the sidecar publishes the first snapshot while the listener may already publish the next
 * one (issue 14, finding 14): whatever the interleaving, the served version never goes back.
 */
@Timeout(60)
class SidecarPublishTest {
  @Test
  void twoPublishersAtOnceNeverLeaveTheOlderVersionServed() throws Exception {
    // version 1 is large (slow to render), version 2 small: the window the race needs is wide
    Map<String, Object> big = new HashMap<>();
    for (int i = 0; i < 10_000; i++) {
      big.put("k" + i, "value number " + i);
    }
    MemorySource source = Sources.memory("m", big);
    try (HotConfig hot = HotConfig.builder().source(source).build()) {
      ConfigSnapshot v1 = hot.snapshot();
      source.update(Map.of("small", 1));
      await().until(() -> hot.version() == 2);
      ConfigSnapshot v2 = hot.snapshot();
      for (int round = 0; round < 10; round++) {
        Publisher sidecar = new Publisher(List.of());
        CyclicBarrier start = new CyclicBarrier(2);
        Thread first = publisher(sidecar, v1, start); // the start-up thread's snapshot
        Thread second = publisher(sidecar, v2, start); // the listener's newer one
        first.start();
        second.start();
        first.join();
        second.join();
        assertThat(sidecar.published().version()).as("round %d", round).isEqualTo(2);
      }
    }
  }

  private static Thread publisher(Publisher sidecar, ConfigSnapshot s, CyclicBarrier start) {
    return new Thread(
        () -> {
          try {
            start.await();
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
          sidecar.publish(s);
        });
  }
}
