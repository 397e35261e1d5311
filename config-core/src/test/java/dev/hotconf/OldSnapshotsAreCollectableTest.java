package dev.hotconf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hotconf.parse.ConfigFormat;
import dev.hotconf.source.MemorySource;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A long-running service reloads its configuration many times: what each version made (the
 * snapshot, the values its accessors converted, the change events its listeners received) must
 * become garbage once newer versions are live, or memory grows with every reload. Proven with weak
 * references and collections driven by Awaitility; the live version's objects must stay.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class OldSnapshotsAreCollectableTest {

  record Pool(int min, int max, Duration idleTimeout) {}

  /** What the test tracks: a description and a weak reference. */
  record Tracked(String what, WeakReference<Object> ref) {}

  private static String document(int v) {
    return "db:\n  pool:\n    min: 1\n    max: "
        + (10 + v)
        + "\n    idle-timeout: "
        + (30 + v)
        + "s\n"
        + "  replicas: [replica-a"
        + v
        + ", replica-b"
        + v
        + "]\nname: service-"
        + v
        + "\n";
  }

  @Test
  void oldSnapshotsTheirConvertedValuesAndChangeEventsBecomeUnreachable() {
    MemorySource source = TestConfigs.yaml("app", document(1));
    try (HotConfig config = TestConfigs.builder().source(source).build()) {
      Setting<Pool> pool = config.recordSetting("db.pool", Pool.class);
      DurationSetting idle = config.durationSetting("db.pool.idle-timeout", Duration.ZERO);
      Setting<List<String>> replicas = config.listSetting("db.replicas", String.class);
      StringSetting name = config.stringSetting("name");
      AtomicReference<ConfigChange> lastChange = new AtomicReference<>();
      AtomicReference<List<Pool>> lastPoolChange = new AtomicReference<>();
      config.onChange(lastChange::set);
      pool.onChange((before, after) -> lastPoolChange.set(List.of(before, after)));

      List<Tracked> old = new ArrayList<>();
      track(old, "v1", config.snapshot(), pool.get(), idle.get(), replicas.get(), name.get());
      publish(source, 2, config, lastChange, lastPoolChange);
      track(old, "v2", config.snapshot(), pool.get(), idle.get(), replicas.get(), name.get());
      track(old, "event 1->2", lastChange.get(), lastPoolChange.get());
      publish(source, 3, config, lastChange, lastPoolChange);
      track(old, "event 2->3", lastChange.get(), lastPoolChange.get());
      publish(source, 4, config, lastChange, lastPoolChange);
      List<Tracked> live = new ArrayList<>();
      track(live, "v4", config.snapshot(), pool.get(), idle.get(), replicas.get(), name.get());

      await("versions 1 and 2 and the events up to 2->3 collected")
          .atMost(30, TimeUnit.SECONDS)
          .pollInterval(50, TimeUnit.MILLISECONDS)
          .untilAsserted(
              () -> {
                System.gc();
                assertThat(old)
                    .allSatisfy(
                        t ->
                            assertThat(t.ref().get() == null)
                                .as("%s collected", t.what())
                                .isTrue());
              });

      assertThat(live)
          .allSatisfy(
              t -> assertThat(t.ref().get()).as("%s still reachable", t.what()).isNotNull());
      assertThat(live.get(0).ref().get()).isSameAs(config.snapshot());
      assertThat(pool.get()).isEqualTo(new Pool(1, 14, Duration.ofSeconds(34)));
      assertThat(lastChange.get().previous().version()).isEqualTo(3);
    }
  }

  private static void track(List<Tracked> into, String version, Object... objects) {
    for (Object o : objects) {
      assertThat(o).as("%s: nothing to track", version).isNotNull();
      into.add(new Tracked(version + " " + o.getClass().getSimpleName(), new WeakReference<>(o)));
    }
  }

  private static void publish(
      MemorySource source,
      int v,
      HotConfig config,
      AtomicReference<ConfigChange> lastChange,
      AtomicReference<List<Pool>> lastPoolChange) {
    source.update(ConfigFormat.YAML, document(v));
    await()
        .atMost(10, TimeUnit.SECONDS)
        .until(
            () ->
                config.version() == v
                    && lastChange.get() != null
                    && lastChange.get().current().version() == v
                    && lastPoolChange.get() != null
                    && lastPoolChange.get().get(1).max() == 10 + v);
  }
}
