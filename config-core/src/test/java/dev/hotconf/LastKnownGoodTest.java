package dev.hotconf;

import static dev.hotconf.TestConfigs.yaml;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.hotconf.parse.ConfigFormat;
import dev.hotconf.source.MemorySource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class LastKnownGoodTest {
  @TempDir Path dir;

  @Test
  void everyPublishedSnapshotIsWrittenAtomicallyForTheOwnerOnly() throws Exception {
    Path lkg = dir.resolve("state/app.lkg.json");
    MemorySource source = yaml("app.yaml", "db: {password: hunter2, max: 5}\n");
    try (HotConfig config = TestConfigs.builder().source(source).lastKnownGood(lkg).build()) {
      await().until(() -> Files.exists(lkg));
      assertThat(Files.readString(lkg)).contains("\"max\" : 5");
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(lkg)))
          .isEqualTo("rw-------");
      source.update(ConfigFormat.YAML, "db: {password: hunter2, max: 6}\n");
      await().until(() -> Files.readString(lkg).contains("\"max\" : 6"));
      try (var files = Files.list(lkg.getParent())) {
        assertThat(files).containsExactly(lkg);
      }
      assertThat(config.status().fromLastKnownGood()).isFalse();
    }
  }

  @Test
  void aStartWhoseSourcesFailBootsFromTheLastKnownGoodFileAndSaysSo() throws Exception {
    Path lkg = dir.resolve("app.lkg.json");
    Files.writeString(lkg, "{\"db\": {\"max\": 7}}");
    MemorySource broken = yaml("app.yaml", "db: [\n");
    try (HotConfig config = TestConfigs.builder().source(broken).lastKnownGood(lkg).build()) {
      assertThat(config.snapshot().getInt("db.max")).isEqualTo(7);
      assertThat(config.snapshot().isFromLastKnownGood()).isTrue();
      assertThat(config.status().fromLastKnownGood()).isTrue();
      assertThat(config.snapshot().origin("db.max").orElseThrow().sourceName())
          .isEqualTo("last-known-good");
      IntSetting max = config.intSetting("db.max");

      broken.update(ConfigFormat.YAML, "db: {max: 8}\n");
      await().until(() -> max.getAsInt() == 8);
      assertThat(config.status().fromLastKnownGood()).isFalse();
    }
  }

  @Test
  void anInvalidLastKnownGoodFileIsNotUsed() throws Exception {
    Path lkg = dir.resolve("app.lkg.json");
    Files.writeString(lkg, "{\"db\": {\"max\": 7}}");
    MemorySource broken = yaml("app.yaml", "db: [\n");
    assertThatThrownBy(
            () ->
                TestConfigs.builder()
                    .source(broken)
                    .lastKnownGood(lkg)
                    .startTimeout(Duration.ofMillis(300))
                    .validate(dev.hotconf.validate.Rules.range("db.max", 10, 20))
                    .build())
        .isInstanceOf(ConfigRejectedException.class)
        .hasMessageContaining("app.yaml:2:1:");
  }
}
