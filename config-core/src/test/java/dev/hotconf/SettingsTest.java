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
      assertThat(config.stringSetting("norway").get()).isEqualTo("no");
      assertThat(config.stringSetting("zip").get()).isEqualTo("01234");
      assertThat(config.intSetting("zip").getAsInt()).isEqualTo(1234);
      assertThat(config.dataSizeSetting("size", null).get()).isEqualTo(DataSize.ofMegabytes(64));
      assertThat(config.enumSetting("mode", Mode.class, Mode.FAST).get()).isEqualTo(Mode.SAFE_MODE);
      assertThat(config.setting("endpoint", URI.class).get())
          .isEqualTo(URI.create("https://example.test/x"));
      assertThat(config.listSetting("db.replicas", String.class).get()).containsExactly("r1", "r2");
      assertThat(config.listSetting("hosts", String.class).get()).containsExactly("a", "b", "c");
      assertThat(config.durationSetting("db.pool.idle-timeout").get())
          .isEqualTo(Duration.ofSeconds(30));
      assertThat(config.setting("db.pool", Map.class).get()).containsEntry("min", 2L);
    }
  }

  @Test
  void bindsARecordWithNestedRecordsOptionalsAndLists() {
    try (HotConfig config = TestConfigs.builder().source(yaml("app.yaml", DOC)).build()) {
      Setting<Db> db = config.recordSetting("db", Db.class);
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
      assertThat(config.optionalSetting("nope", String.class).get()).isEmpty();
      assertThat(config.optionalSetting("db.url", String.class).get()).contains("jdbc:x");
      assertThatThrownBy(() -> config.intSetting("nope.x"))
          .isInstanceOf(ConfigValueException.class)
          .hasMessage("nope.x: missing, and a setting requires it (no default)");
      assertThatThrownBy(() -> config.intSetting("db.url"))
          .hasMessage("app.yaml:2:8: db.url: expected an int but found 'jdbc:x'");
      assertThatThrownBy(() -> config.durationSetting("ratio"))
          .hasMessage(
              "app.yaml:5:8: ratio: expected a duration like 250ms, 5s, 2m or PT1H (a number needs a unit) but found 0.75");
      // every missing component at once, each at the object that lacks it
      assertThatThrownBy(() -> config.recordSetting("db", Pool.class))
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
      Setting<Counted> counted = config.recordSetting("counted", Counted.class);
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

  /**
   * An IntSetting on db.pool.max and a record bound at db.pool read the same bad value: the
   * rejection (failure event, status, start-up exception) names it once, not once per accessor.
   */
  @Test
  void aRejectionListsEachProblemOnceWhenSeveralAccessorsReadTheSameBadValue() {
    String doc = "db:\n  url: jdbc:x\n  pool:\n    max: 10\n";
    MemorySource source = yaml("app.yaml", doc);
    try (HotConfig config = TestConfigs.builder().source(source).build()) {
      List<ConfigFailure> failures = new CopyOnWriteArrayList<>();
      config.onFailure(failures::add);
      record MaxOnly(int max) {}
      IntSetting max = config.intSetting("db.pool.max");
      IntSetting sameKeyAgain = config.intSetting("db.pool.max", 1);
      Setting<MaxOnly> pool = config.recordSetting("db.pool", MaxOnly.class);
      source.update(ConfigFormat.YAML, doc.replace("max: 10", "max: ten"));
      await().until(() -> !failures.isEmpty());
      String once = "app.yaml:4:10: db.pool.max: expected an int but found 'ten'";
      assertThat(failures.get(0).problems()).extracting(Problem::toString).containsExactly(once);
      assertThat(failures.get(0).message()).containsOnlyOnce("db.pool.max");
      assertThat(config.status().lastFailure().problems())
          .extracting(Problem::toString)
          .containsExactly(once);
      assertThat(max.getAsInt()).isEqualTo(10);
      assertThat(sameKeyAgain.getAsInt()).isEqualTo(10);
      assertThat(pool.get()).isEqualTo(new MaxOnly(10));
    }
  }

  @Test
  void everyFactoryHasARequiredVariantAndRecordsADefault() {
    try (HotConfig config = TestConfigs.builder().source(yaml("app.yaml", DOC)).build()) {
      assertThat(config.dataSizeSetting("size").get()).isEqualTo(DataSize.ofMegabytes(64));
      assertThat(config.dataSizeSetting("nope", DataSize.ofBytes(1)).get())
          .isEqualTo(DataSize.ofBytes(1));
      assertThat(config.enumSetting("mode", Mode.class).get()).isEqualTo(Mode.SAFE_MODE);
      assertThat(config.stringSetting("nope", "d").get()).isEqualTo("d");
      assertThat(config.durationSetting("nope", Duration.ZERO).get()).isEqualTo(Duration.ZERO);
      assertThat(config.listSetting("nope", String.class, List.of("x")).get()).containsExactly("x");
      Pool fallback = new Pool(1, 1, Duration.ZERO);
      assertThat(config.recordSetting("nope", Pool.class, fallback).get()).isSameAs(fallback);
      assertThat(config.recordSetting("db.pool", Pool.class, fallback).get())
          .isEqualTo(new Pool(2, 10, Duration.ofSeconds(30)));
      assertThatThrownBy(() -> config.dataSizeSetting("nope"))
          .hasMessage("nope: missing, and a setting requires it (no default)");
      assertThatThrownBy(() -> config.enumSetting("nope", Mode.class))
          .hasMessage("nope: missing, and a setting requires it (no default)");
      assertThatThrownBy(() -> config.enumSetting("db.url", Mode.class))
          .isInstanceOf(ConfigValueException.class)
          .hasMessageStartingWith("app.yaml:2:8: db.url: expected ");
    }
  }

  @Test
  @SuppressWarnings({"unchecked", "rawtypes"})
  void recordSettingTakesOnlyRecords() {
    try (HotConfig config = TestConfigs.builder().source(yaml("app.yaml", DOC)).build()) {
      assertThatThrownBy(() -> config.recordSetting("db.pool", (Class) Map.class))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(
              "java.util.Map is not a record: recordSetting binds records; use setting(...)");
    }
  }

  /**
   * Code that takes any accessor reads key and origin and listens through the sealed supertype;
   * each accessor reports the same as through its own type.
   */
  @Test
  void anyAccessorOffersKeyOriginAndListenersThroughTheCommonType() {
    MemorySource source = yaml("app.yaml", DOC);
    try (HotConfig config = TestConfigs.builder().source(source).build()) {
      List<Accessor<?>> all =
          List.of(
              config.intSetting("db.pool.max"),
              config.longSetting("big"),
              config.doubleSetting("ratio"),
              config.booleanSetting("enabled"),
              config.stringSetting("db.url"),
              config.durationSetting("db.pool.idle-timeout"),
              config.recordSetting("db.pool", Pool.class),
              config.intSetting("absent", 3));
      assertThat(all)
          .extracting(a -> a.key() + " @ " + a.origin())
          .containsExactly(
              "db.pool.max @ app.yaml:3:23",
              "big @ app.yaml:6:6",
              "ratio @ app.yaml:5:8",
              "enabled @ app.yaml:7:10",
              "db.url @ app.yaml:2:8",
              "db.pool.idle-timeout @ app.yaml:3:41",
              "db.pool @ app.yaml:3:9",
              "absent @ null");
      List<String> heard = new CopyOnWriteArrayList<>();
      for (Accessor<?> a : all) {
        a.onChange((old, now) -> heard.add(a.key() + ": " + old + " -> " + now));
      }
      source.update(
          ConfigFormat.YAML,
          DOC.replace("max: 10", "max: 11").replace("ratio: 0.75", "ratio: 1.5"));
      await().until(() -> heard.size() == 3);
      assertThat(heard)
          .containsExactlyInAnyOrder(
              "db.pool.max: 10 -> 11",
              "ratio: 0.75 -> 1.5",
              "db.pool: Pool[min=2, max=10, idleTimeout=PT30S] -> Pool[min=2, max=11,"
                  + " idleTimeout=PT30S]");
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
