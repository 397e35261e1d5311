package dev.hotconf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hotconf.source.MemorySource;
import dev.hotconf.source.Sources;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Readers race a writer publishing thousands of versions. Every version sets a, b and c to the same
 * number n: a snapshot mixing two versions would show different numbers, and an accessor value that
 * was never published would not be in the set of published values.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ConcurrentReadsTest {

  @Test
  void readersNeverSeeAMixOfVersionsOrAnUnpublishedValue() throws Exception {
    MemorySource source = Sources.memory("race", Map.of("a", 0, "b", 0, "c", 0));
    try (HotConfig config = TestConfigs.builder().source(source).build()) {
      IntSetting a = config.intSetting("a");
      Map<Integer, Boolean> published = new ConcurrentHashMap<>();
      published.put(0, true);
      config.onChange(change -> published.put(change.current().getInt("a"), true));
      AtomicBoolean stop = new AtomicBoolean();
      AtomicReference<String> error = new AtomicReference<>();
      Map<Integer, Boolean> seenByAccessor = new ConcurrentHashMap<>();
      CountDownLatch readersDone = new CountDownLatch(3);
      for (int r = 0; r < 3; r++) {
        Thread reader =
            new Thread(
                () -> {
                  long lastVersion = 0;
                  int lastA = -1;
                  while (!stop.get() && error.get() == null) {
                    ConfigSnapshot s = config.snapshot();
                    int x = s.getInt("a");
                    if (x != s.getInt("b") || x != s.getInt("c")) {
                      error.set("mixed snapshot at version " + s.version());
                    }
                    if (s.version() < lastVersion) {
                      error.set("version went backwards");
                    }
                    lastVersion = s.version();
                    int v = a.getAsInt();
                    if (v < lastA) {
                      error.set("accessor went backwards " + lastA + " -> " + v);
                    }
                    lastA = v;
                    seenByAccessor.put(v, true);
                  }
                  readersDone.countDown();
                },
                "reader-" + r);
        reader.setDaemon(true);
        reader.start();
      }
      int versions = 3000;
      for (int n = 1; n <= versions; n++) {
        source.update(Map.of("a", n, "b", n, "c", n));
        if (n % 500 == 0) {
          int target = n;
          await().until(() -> a.getAsInt() == target);
        }
      }
      await().until(() -> a.getAsInt() == versions);
      stop.set(true);
      assertThat(readersDone.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(error.get()).isNull();
      await().until(() -> published.containsKey(versions));
      assertThat(published.keySet()).containsAll(seenByAccessor.keySet());
      assertThat(config.version()).isGreaterThan(1);
    }
  }
}
