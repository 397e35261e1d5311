package dev.hotconf;

import static dev.hotconf.TestConfigs.yaml;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hotconf.parse.ConfigFormat;
import dev.hotconf.source.MemorySource;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ListenersTest {

  @Test
  void listenersReceiveEveryVersionInOrderNeverConcurrentlyAndOffThePublishingThread() {
    MemorySource source = yaml("app", "n: 0\n");
    try (HotConfig config = TestConfigs.builder().source(source).build()) {
      AtomicInteger inside = new AtomicInteger();
      AtomicInteger maxInside = new AtomicInteger();
      List<Long> versions = new CopyOnWriteArrayList<>();
      List<String> threads = new CopyOnWriteArrayList<>();
      config.onChange(
          change -> {
            maxInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
            versions.add(change.current().version());
            threads.add(Thread.currentThread().getName());
            Thread.onSpinWait();
            inside.decrementAndGet();
          });
      for (int i = 1; i <= 200; i++) {
        source.update(ConfigFormat.YAML, "n: " + i + "\n");
      }
      await().until(() -> config.snapshot().getInt("n") == 200);
      long last = config.version();
      await().until(() -> !versions.isEmpty() && versions.get(versions.size() - 1) == last);
      assertThat(versions).isSorted().doesNotHaveDuplicates();
      assertThat(maxInside.get()).isEqualTo(1);
      assertThat(threads).allMatch(t -> t.startsWith("hotconf-config-listener"));
    }
  }

  @Test
  void aThrowingListenerDoesNotHurtOthersOrThePublication() {
    MemorySource source = yaml("app", "n: 0\n");
    try (HotConfig config = TestConfigs.builder().source(source).build()) {
      List<Long> heard = new CopyOnWriteArrayList<>();
      config.onChange(
          change -> {
            throw new IllegalStateException("listener bug");
          });
      config.onChange(change -> heard.add(change.current().version()));
      source.update(ConfigFormat.YAML, "n: 1\n");
      await().until(() -> config.version() == 2);
      source.update(ConfigFormat.YAML, "n: 2\n");
      await().until(() -> heard.contains(config.version()) && config.snapshot().getInt("n") == 2);
      assertThat(config.status().reloads()).isEqualTo(config.version());
    }
  }

  @Test
  void diffsListAddedChangedAndRemovedKeysWithOldAndNewValues() {
    MemorySource source = yaml("app", "a: 1\nb: {c: x}\nd: [1, 2]\n");
    try (HotConfig config = TestConfigs.builder().source(source).build()) {
      TestConfigs.Recorder recorder = new TestConfigs.Recorder();
      config.onChange(recorder);
      source.update(ConfigFormat.YAML, "a: 2\nb: {e: y}\nd: [1]\n");
      await().until(() -> recorder.changes.size() == 1);
      ConfigDiff diff = recorder.changes.get(0).diff();
      assertThat(diff.added()).extracting(KeyChange::key).containsExactly("b.e");
      assertThat(diff.removed()).extracting(KeyChange::key).containsExactly("b.c", "d[1]");
      assertThat(diff.changed()).extracting(KeyChange::key).containsExactly("a");
      assertThat(diff.changed().get(0).oldValue().unwrapped()).isEqualTo(1L);
      assertThat(diff.changed().get(0).newValue().unwrapped()).isEqualTo(2L);
      assertThat(diff).hasToString("~ a: 1 -> 2\n- b.c (was 'x')\n+ b.e = 'y'\n- d[1] (was 2)");
      assertThat(recorder.changes.get(0).previous().version()).isEqualTo(1);
    }
  }

  @Test
  void prefixSubscriptionsHearOnlyTheirKeys() {
    MemorySource source = yaml("app", "db: {max: 1}\ndbx: 1\nhttp: {port: 80}\n");
    try (HotConfig config = TestConfigs.builder().source(source).build()) {
      TestConfigs.Recorder db = new TestConfigs.Recorder();
      config.onChange("db", db);
      source.update(ConfigFormat.YAML, "db: {max: 1}\ndbx: 2\nhttp: {port: 81}\n");
      await().until(() -> config.version() == 2);
      source.update(ConfigFormat.YAML, "db: {max: 2}\ndbx: 2\nhttp: {port: 81}\n");
      await().until(() -> config.version() == 3 && db.changes.size() == 1);
      assertThat(db.changes.get(0).diff()).hasToString("~ db.max: 1 -> 2");
    }
  }

  @Test
  void closingARegistrationStopsDelivery() {
    MemorySource source = yaml("app", "n: 0\n");
    try (HotConfig config = TestConfigs.builder().source(source).build()) {
      TestConfigs.Recorder first = new TestConfigs.Recorder();
      TestConfigs.Recorder second = new TestConfigs.Recorder();
      Registration r = config.onChange(first);
      config.onChange(second);
      source.update(ConfigFormat.YAML, "n: 1\n");
      await().until(() -> first.changes.size() == 1);
      r.close();
      source.update(ConfigFormat.YAML, "n: 2\n");
      await().until(() -> second.changes.size() == 2);
      assertThat(first.changes).hasSize(1);
    }
  }

  @Test
  void failureListenersHearSourceFailures() {
    MemorySource source = yaml("app.yaml", "n: 0\n");
    try (HotConfig config = TestConfigs.builder().source(source).build()) {
      List<ConfigFailure> failures = new CopyOnWriteArrayList<>();
      config.onFailure(failures::add);
      source.update(ConfigFormat.YAML, "n: [\n");
      await().until(() -> !failures.isEmpty());
      assertThat(failures.get(0).kind()).isEqualTo(ConfigFailure.Kind.SOURCE_FAILED);
      assertThat(failures.get(0).source()).isEqualTo("app.yaml");
      assertThat(failures.get(0).message()).startsWith("app.yaml:2:1: ");
    }
  }

  @Test
  void closeLeavesNoThreadBehind() {
    MemorySource source = yaml("leak-check", "n: 0\n");
    HotConfig config = TestConfigs.builder().name("leakcheck").source(source).build();
    config.onChange(c -> {});
    source.update(ConfigFormat.YAML, "n: 1\n");
    await().until(() -> config.version() == 2);
    config.close();
    await()
        .until(
            () ->
                Thread.getAllStackTraces().keySet().stream()
                    .noneMatch(t -> t.getName().startsWith("hotconf-leakcheck")));
  }
}
