package dev.hotconf;

import static dev.hotconf.TestConfigs.yaml;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hotconf.parse.ConfigFormat;
import dev.hotconf.source.MemorySource;
import dev.hotconf.source.Sources;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class MergeAndPrecedenceTest {

  @Test
  void laterSourcesOverrideEarlierOnesAndMapsMergeDeeply() {
    try (HotConfig config =
        TestConfigs.builder()
            .source(Sources.classpath("defaults.yaml"))
            .source(yaml("override", "db:\n  pool:\n    max: 50\nextra: true\n"))
            .build()) {
      ConfigSnapshot s = config.snapshot();
      assertThat(s.getInt("db.pool.max")).isEqualTo(50);
      assertThat(s.getInt("db.pool.min")).isEqualTo(2);
      assertThat(s.getString("db.url")).isEqualTo("jdbc:postgresql://localhost/app");
      assertThat(s.getBoolean("extra")).isTrue();
      assertThat(s.origin("db.pool.max").orElseThrow().location()).isEqualTo("override");
      assertThat(s.origin("db.pool.min").orElseThrow()).hasToString("defaults.yaml:4:10");
    }
  }

  @Test
  void listsReplaceInsteadOfMerging() {
    try (HotConfig config =
        TestConfigs.builder()
            .source(yaml("base", "servers: [a, b, c]\n"))
            .source(yaml("over", "servers: [z]\n"))
            .build()) {
      assertThat(config.snapshot().get("servers", Object.class)).isEqualTo(List.of("z"));
      assertThat(config.snapshot().values()).containsOnlyKeys("servers[0]");
    }
  }

  @Test
  void aScalarOverridesAMapAndTheReverse() {
    try (HotConfig config =
        TestConfigs.builder()
            .source(yaml("base", "a: {b: 1}\nc: 2\n"))
            .source(yaml("over", "a: flat\nc: {d: 3}\n"))
            .build()) {
      assertThat(config.snapshot().getString("a")).isEqualTo("flat");
      assertThat(config.snapshot().getInt("c.d")).isEqualTo(3);
    }
  }

  @Test
  void aFailingSourceKeepsItsLastGoodKeys() {
    MemorySource over = yaml("over", "db:\n  pool:\n    max: 30\n");
    try (HotConfig config =
        TestConfigs.builder().source(Sources.classpath("defaults.yaml")).source(over).build()) {
      IntSetting max = config.intSetting("db.pool.max");
      over.update(ConfigFormat.YAML, "db: [unclosed\n");
      await().until(() -> config.status().sources().get(1).state() == SourceStatus.State.FAILING);
      assertThat(max.getAsInt()).isEqualTo(30);
      assertThat(config.status().sources().get(1).lastError()).startsWith("over:2:1:");

      over.update(ConfigFormat.YAML, "db:\n  pool:\n    max: 31\n");
      await().until(() -> max.getAsInt() == 31);
      assertThat(config.status().sources().get(1).state()).isEqualTo(SourceStatus.State.OK);
    }
  }

  @Test
  void aMissingSourceKeepsItsLastGoodContentAndSaysSince() {
    MemorySource over = yaml("over", "x: 1\n");
    try (HotConfig config =
        TestConfigs.builder().source(yaml("base", "y: 2\n")).source(over).build()) {
      over.markMissing("file deleted");
      await().until(() -> config.status().sources().get(1).state() == SourceStatus.State.MISSING);
      SourceStatus status = config.status().sources().get(1);
      assertThat(status.since()).isNotNull();
      assertThat(status.lastError()).contains("file deleted");
      assertThat(config.snapshot().getInt("x")).isEqualTo(1);
    }
  }

  @Test
  void aSourceMissingAtStartContributesNothing() {
    MemorySource absent = Sources.memory("absent", java.util.Map.of());
    MemorySource base = yaml("base", "y: 2\n");
    try (HotConfig config =
        TestConfigs.builder().source(base).source(new MissingAtStart()).build()) {
      assertThat(config.snapshot().values()).containsOnlyKeys("y");
      assertThat(config.status().sources().get(1).state()).isEqualTo(SourceStatus.State.MISSING);
    }
    absent.close();
  }

  @Test
  void environmentVariablesMapToDottedKeysAndOverride() {
    try (HotConfig config =
        TestConfigs.builder()
            .source(Sources.classpath("defaults.yaml"))
            .source(
                Sources.environment(
                    "APP_",
                    java.util.Map.of(
                        "APP_DB_POOL_MAX", "99", "APP_HTTP_READ__TIMEOUT", "5s", "OTHER_X", "1")))
            .build()) {
      ConfigSnapshot s = config.snapshot();
      assertThat(s.getInt("db.pool.max")).isEqualTo(99);
      assertThat(s.getDuration("http.read-timeout")).hasSeconds(5);
      assertThat(s.has("other")).isFalse();
      assertThat(s.origin("db.pool.max").orElseThrow().location()).isEqualTo("$APP_DB_POOL_MAX");
    }
    assertThat(Sources.environmentKey("DB_POOL_SIZE")).isEqualTo("db.pool.size");
  }

  @Test
  void systemPropertiesMapWithTheirPrefixRemoved() {
    java.util.Properties props = new java.util.Properties();
    props.setProperty("app.db.pool.max", "12");
    props.setProperty("java.version", "17");
    try (HotConfig config =
        TestConfigs.builder()
            .source(Sources.classpath("defaults.yaml"))
            .source(Sources.systemProperties("app.", props))
            .build()) {
      assertThat(config.snapshot().getInt("db.pool.max")).isEqualTo(12);
      assertThat(config.snapshot().origin("db.pool.max").orElseThrow().location())
          .isEqualTo("-Dapp.db.pool.max");
    }
  }

  @Test
  void aMissingClasspathResourceFailsTheBuildClearly() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                TestConfigs.builder()
                    .startTimeout(java.time.Duration.ofMillis(300))
                    .source(Sources.classpath("nope.yaml"))
                    .build())
        .isInstanceOf(ConfigRejectedException.class)
        .hasMessageContaining("nope.yaml: classpath resource not found");
  }

  /** A source whose content is absent from the start. */
  private static final class MissingAtStart implements dev.hotconf.source.ConfigSource {
    @Override
    public String name() {
      return "missing";
    }

    @Override
    public void start(dev.hotconf.source.SourceListener listener) {
      listener.onMissing("not there");
    }

    @Override
    public void close() {}
  }
}
