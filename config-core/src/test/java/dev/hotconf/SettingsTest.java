package dev.hotconf;

import static dev.hotconf.TestConfigs.yaml;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.hotconf.parse.ConfigFormat;
import dev.hotconf.source.MemorySource;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SettingsTest {

  enum Mode {
    FAST,
    SAFE_MODE
  }

  record Pool(int min, int max, Duration idleTimeout) {}

  record Db(String url, Pool pool, Optional<String> user, List<String> replicas) {}

  static final AtomicInteger COUNTED = new AtomicInteger();

  record Counted(int value) {
    Counted {
      COUNTED.incrementAndGet();
    }
  }

  private static final String DOC =
      String.join(
          "\n",
          "db:",
          "  url: jdbc:x",
          "  pool: {min: 2, max: 10, idle-timeout: 30s}",
          "  replicas: [r1, r2]",
          "ratio: 0.75",
          "big: 9000000000",
          "enabled: true",
          "norway: no",
          "zip: 01234",
          "size: 64MB",
          "mode: safe-mode",
          "endpoint: https://example.test/x",
          "hosts: a, b ,c",
          "counted: {value: 1}",
          "");

  @Test
  void convertsEveryKindOfValue() {
    try (HotConfig config = TestConfigs.builder().source(yaml("app.yaml", DOC)).build()) {
      assertThat(config.intSetting("db.pool.max").getAsInt()).isEqualTo(10);
      assertThat(config.longSetting("big").getAsLong()).isEqualTo(9_000_000_000L);
      assertThat(config.doubleSetting("ratio").getAsDouble()).isEqualTo(0.75);
      assertThat(config.booleanSetting("enabled").getAsBoolean()).isTrue();
      assertThat(config.string("norway").get()).isEqualTo("no");
      assertThat(config.string("zip").get()).isEqualTo("01234");
      assertThat(config.intSetting("zip").getAsInt()).isEqualTo(1234);
      assertThat(config.dataSize("size", null).get()).isEqualTo(DataSize.ofMegabytes(64));
      assertThat(config.enumSetting("mode", Mode.class, Mode.FAST).get()).isEqualTo(Mode.SAFE_MODE);
      assertThat(config.setting("endpoint", URI.class).get())
          .isEqualTo(URI.create("https://example.test/x"));
      assertThat(config.list("db.replicas", String.class).get()).containsExactly("r1", "r2");
      assertThat(config.list("hosts", String.class).get()).containsExactly("a", "b", "c");
      assertThat(config.duration("db.pool.idle-timeout").get()).isEqualTo(Duration.ofSeconds(30));
      assertThat(config.setting("db.pool", Map.class).get()).containsEntry("min", 2L);
    }
  }

  @Test
  void bindsARecordWithNestedRecordsOptionalsAndLists() {
    try (HotConfig config = TestConfigs.builder().source(yaml("app.yaml", DOC)).build()) {
      Setting<Db> db = config.bind("db", Db.class);
      assertThat(db.get())
          .isEqualTo(
              new Db(
                  "jdbc:x",
                  new Pool(2, 10, Duration.ofSeconds(30)),
                  Optional.empty(),
                  List.of("r1", "r2")));
      assertThat(db.origin()).hasToString("app.yaml:2:3");
    }
  }

  @Test
  void defaultsOptionalAndRequiredBehaveAsDocumented() {
    try (HotConfig config = TestConfigs.builder().source(yaml("app.yaml", DOC)).build()) {
      IntSetting absent = config.intSetting("nope.x", 7);
      assertThat(absent.getAsInt()).isEqualTo(7);
      assertThat(absent.origin()).isNull();
      assertThat(config.optional("nope", String.class).get()).isEmpty();
      assertThat(config.optional("db.url", String.class).get()).contains("jdbc:x");
      assertThatThrownBy(() -> config.intSetting("nope.x"))
          .isInstanceOf(ConfigValueException.class)
          .hasMessage("nope.x: missing, and a setting requires it (no default)");
      assertThatThrownBy(() -> config.intSetting("db.url"))
          .hasMessage("app.yaml:2:8: db.url: expected an int but found 'jdbc:x'");
      assertThatThrownBy(() -> config.duration("ratio"))
          .hasMessage(
              "app.yaml:5:8: ratio: expected a duration like 250ms, 5s, 2m or PT1H (a number needs a unit) but found 0.75");
      // every missing component at once, each at the object that lacks it
      assertThatThrownBy(() -> config.bind("db", Pool.class))
          .isInstanceOfSatisfying(
              ConfigValueException.class,
              e ->
                  assertThat(e.problems())
                      .extracting(Problem::toString)
                      .containsExactly(
                          "app.yaml:2:3: db.min: missing: required by Pool.min",
                          "app.yaml:2:3: db.max: missing: required by Pool.max",
                          "app.yaml:2:3: db.idle-timeout: missing: required by Pool.idleTimeout"));
    }
  }

  @Test
  void accessorsFollowEveryNewSnapshotAndConvertOncePerSnapshot() {
    MemorySource source = yaml("app.yaml", DOC);
    try (HotConfig config = TestConfigs.builder().source(source).build()) {
      COUNTED.set(0);
      Setting<Counted> counted = config.bind("counted", Counted.class);
      IntSetting max = config.intSetting("db.pool.max");
      for (int i = 0; i < 1000; i++) {
        assertThat(counted.get().value()).isEqualTo(1);
      }
      assertThat(COUNTED.get()).isEqualTo(1);
      for (int v = 2; v <= 4; v++) {
        source.update(
            ConfigFormat.YAML,
            DOC.replace("counted: {value: 1}", "counted: {value: " + v + "}")
                .replace("max: 10", "max: " + (10 + v)));
        int expected = v;
        await().until(() -> counted.get().value() == expected);
        for (int i = 0; i < 1000; i++) {
          counted.get();
        }
      }
      assertThat(COUNTED.get()).isEqualTo(4);
      assertThat(max.getAsInt()).isEqualTo(14);
    }
  }

  @Test
  void aValueAnAccessorCannotConvertIsRejectedBeforeItGoesLive() {
    MemorySource source = yaml("app.yaml", DOC);
    try (HotConfig config = TestConfigs.builder().source(source).build()) {
      List<ConfigFailure> failures = new CopyOnWriteArrayList<>();
      config.onFailure(failures::add);
      IntSetting max = config.intSetting("db.pool.max");
      source.update(ConfigFormat.YAML, DOC.replace("max: 10", "max: ten"));
      await().until(() -> !failures.isEmpty());
      assertThat(failures.get(0).problems())
          .extracting(Problem::toString)
          .containsExactly("app.yaml:3:23: db.pool.max: expected an int but found 'ten'");
      assertThat(max.getAsInt()).isEqualTo(10);
      assertThat(config.version()).isEqualTo(1);
    }
  }

  @Test
  void typedListenersHearOldAndNewValuesOnlyWhenTheValueChanges() {
    MemorySource source = yaml("app.yaml", DOC);
    try (HotConfig config = TestConfigs.builder().source(source).build()) {
      List<String> heard = new CopyOnWriteArrayList<>();
      config.intSetting("db.pool.max").onChange((old, now) -> heard.add(old + "->" + now));
      source.update(ConfigFormat.YAML, DOC.replace("ratio: 0.75", "ratio: 0.5"));
      await().until(() -> config.version() == 2);
      source.update(ConfigFormat.YAML, DOC.replace("max: 10", "max: 20"));
      await().until(() -> config.version() == 3);
      source.update(ConfigFormat.YAML, DOC.replace("max: 10", "max: 30"));
      await().until(() -> heard.size() == 2);
      assertThat(heard).containsExactly("10->20", "20->30");
    }
  }

  @Test
  void aSettingWithAListenerSurvivesGarbageCollection() {
    MemorySource source = yaml("app.yaml", DOC);
    try (HotConfig config = TestConfigs.builder().source(source).build()) {
      List<Integer> heard = new CopyOnWriteArrayList<>();
      config.intSetting("db.pool.max").onChange((old, now) -> heard.add(now));
      for (int i = 0; i < 3; i++) {
        System.gc();
      }
      source.update(ConfigFormat.YAML, DOC.replace("max: 10", "max: 20"));
      await().until(() -> heard.contains(20));
    }
  }
}
