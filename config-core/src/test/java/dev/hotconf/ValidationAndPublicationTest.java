package dev.hotconf;

import static dev.hotconf.TestConfigs.yaml;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.hotconf.parse.ConfigFormat;
import dev.hotconf.source.MemorySource;
import dev.hotconf.validate.Rules;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ValidationAndPublicationTest {

  private static final String GOOD = "db:\n  url: jdbc:x\n  pool:\n    min: 2\n    max: 10\n";

  private static HotConfig.Builder validated(MemorySource source) {
    return TestConfigs.builder()
        .source(source)
        .validate(
            Rules.required("db.url", "db.pool.max"),
            Rules.range("db.pool.max", 1, 500),
            Rules.pattern("db.url", "jdbc:.*"),
            Rules.check(
                "db.pool.max",
                "must be >= db.pool.min",
                c -> c.getInt("db.pool.max") >= c.getInt("db.pool.min")));
  }

  @Test
  void everyProblemIsReportedAtOnceWithKeyAndOrigin() {
    MemorySource source =
        yaml("app.yaml", "db:\n  url: postgres://x\n  pool:\n    min: 900\n    max: 600\n");
    assertThatThrownBy(() -> validated(source).startTimeout(Duration.ofMillis(500)).build())
        .isInstanceOfSatisfying(
            ConfigRejectedException.class,
            e ->
                assertThat(e.problems())
                    .extracting(Problem::toString)
                    .containsExactly(
                        "app.yaml:5:10: db.pool.max: 600 is out of range [1, 500]",
                        "app.yaml:2:8: db.url: 'postgres://x' does not match the pattern jdbc:.*",
                        "app.yaml:5:10: db.pool.max: must be >= db.pool.min"));
  }

  @Test
  void aMissingRequiredKeyIsNamed() {
    MemorySource source = yaml("app.yaml", "db:\n  pool:\n    max: 5\n    min: 1\n");
    assertThatThrownBy(() -> validated(source).startTimeout(Duration.ofMillis(500)).build())
        .hasMessageContaining("app.yaml:2:3: db.url: is required but missing");
  }

  @Test
  void aRejectedCandidateLeavesTheLiveSnapshotAndIsAnnounced() {
    MemorySource source = yaml("app.yaml", GOOD);
    try (HotConfig config = validated(source).build()) {
      List<ConfigFailure> failures = new CopyOnWriteArrayList<>();
      config.onFailure(failures::add);
      IntSetting max = config.intSetting("db.pool.max");
      ConfigSnapshot before = config.snapshot();

      source.update(ConfigFormat.YAML, GOOD.replace("max: 10", "max: 0"));
      await().until(() -> !failures.isEmpty());

      assertThat(config.snapshot()).isSameAs(before);
      assertThat(max.getAsInt()).isEqualTo(10);
      ConfigFailure failure = failures.get(0);
      assertThat(failure.kind()).isEqualTo(ConfigFailure.Kind.REJECTED);
      assertThat(failure.problems())
          .extracting(Problem::toString)
          .containsExactly(
              "app.yaml:5:10: db.pool.max: 0 is out of range [1, 500]",
              "app.yaml:5:10: db.pool.max: must be >= db.pool.min");
      ConfigStatus status = config.status();
      assertThat(status.rejecting()).isTrue();
      assertThat(status.rejections()).isEqualTo(1);
      assertThat(status.lastFailure()).isEqualTo(failure);
      assertThat(status.version()).isEqualTo(1);

      source.update(ConfigFormat.YAML, GOOD.replace("max: 10", "max: 11"));
      await().until(() -> max.getAsInt() == 11);
      assertThat(config.status().rejecting()).isFalse();
      assertThat(config.version()).isEqualTo(2);
    }
  }

  @Test
  void unchangedContentPublishesNothing() {
    MemorySource source = yaml("app.yaml", GOOD);
    try (HotConfig config = validated(source).build()) {
      TestConfigs.Recorder recorder = new TestConfigs.Recorder();
      config.onChange(recorder);
      // same content, other formatting and key order: same canonical hash
      source.update(ConfigFormat.YAML, "db: {pool: {max: 10, min: 2}, url: 'jdbc:x'}\n");
      await().until(() -> config.status().unchanged() == 1);
      source.update(
          ConfigFormat.JSON, "{\"db\":{\"url\":\"jdbc:x\",\"pool\":{\"min\":2,\"max\":10}}}");
      await().until(() -> config.status().unchanged() == 2);
      source.update(ConfigFormat.YAML, GOOD.replace("min: 2", "min: 3"));
      await().until(() -> config.version() == 2);
      await().until(() -> recorder.changes.size() == 1);
      assertThat(config.status().reloads()).isEqualTo(2);
      assertThat(recorder.changes.get(0).diff()).hasToString("~ db.pool.min: 2 -> 3");
    }
  }

  @Test
  void snapshotsCarryVersionHashAndTime() {
    MemorySource source = yaml("app.yaml", GOOD);
    java.time.Clock clock =
        java.time.Clock.fixed(
            java.time.Instant.parse("2026-11-22T10:00:00Z"), java.time.ZoneOffset.UTC);
    try (HotConfig config = validated(source).clock(clock).build()) {
      ConfigSnapshot s = config.snapshot();
      assertThat(s.version()).isEqualTo(1);
      assertThat(s.hash())
          .hasSize(32)
          .isEqualTo(
              ConfigSnapshot.candidate(s.root(), clock.instant(), Redactor.defaults()).hash());
      assertThat(s.createdAt()).isEqualTo(clock.instant());
      assertThat(config.status().lastSuccess()).isEqualTo(clock.instant());
    }
  }

  @Test
  void aThrowingValidatorRejectsWithoutCrashing() {
    MemorySource source = yaml("app.yaml", GOOD);
    assertThatThrownBy(
            () ->
                TestConfigs.builder()
                    .source(source)
                    .startTimeout(Duration.ofMillis(400))
                    .validate(
                        ctx -> {
                          throw new IllegalStateException("boom");
                        })
                    .build())
        .hasMessageContaining("threw java.lang.IllegalStateException");
  }

  @Test
  void startupTimeoutListsPendingSources() {
    dev.hotconf.source.ConfigSource silent =
        new dev.hotconf.source.ConfigSource() {
          @Override
          public String name() {
            return "silent";
          }

          @Override
          public void start(dev.hotconf.source.SourceListener l) {}

          @Override
          public void close() {}
        };
    assertThatThrownBy(
            () -> TestConfigs.builder().source(silent).startTimeout(Duration.ofMillis(200)).build())
        .hasMessage("source silent has not answered within PT0.2S");
  }

  @Test
  void builderChecksInputsWhenGiven() {
    assertThatThrownBy(() -> HotConfig.builder().startTimeout(Duration.ofMillis(-5)))
        .hasMessage("startTimeout must be > 0 but was -5ms");
    assertThatThrownBy(() -> HotConfig.builder().build()).hasMessage("add at least one source");
    assertThatThrownBy(() -> Rules.range("x", 5, 1))
        .hasMessage("min must be <= max but was 5.0 > 1.0");
  }

  @Test
  void rulesCheckTheirInputsWhenCreatedNotAtEveryReload() {
    assertThatThrownBy(() -> Rules.required("db.url", "db..pool"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'db..pool'");
    assertThatThrownBy(() -> Rules.range("a[", 0, 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Rules.range("a", Double.NaN, 1))
        .hasMessage("min and max must be numbers but were NaN and 1.0");
    assertThatThrownBy(() -> Rules.pattern("a", "(")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Rules.oneOf(null, "x")).isInstanceOf(NullPointerException.class);
  }

  @Test
  void oneOfAcceptsRepeatedAllowedValues() {
    MemorySource source = yaml("app.yaml", "mode: fast\n");
    try (HotConfig config =
        TestConfigs.builder()
            .source(source)
            .validate(Rules.oneOf("mode", "fast", "safe", "fast"))
            .build()) {
      assertThat(config.snapshot().getString("mode")).isEqualTo("fast");
    }
  }
}
