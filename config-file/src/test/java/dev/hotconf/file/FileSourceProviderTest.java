package dev.hotconf.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.hotconf.ConfigException;
import dev.hotconf.ConfigObject;
import dev.hotconf.ConfigOrigin;
import dev.hotconf.HotConfig;
import dev.hotconf.IntSetting;
import dev.hotconf.Problem;
import dev.hotconf.parse.ConfigFormat;
import dev.hotconf.settings.Assembler;
import dev.hotconf.settings.Assembly;
import dev.hotconf.settings.HotConfigSettings;
import dev.hotconf.source.ConfigSource;
import dev.hotconf.source.SourceContext;
import dev.hotconf.source.SourceProvider;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The {@code type: file} entry of settings: FileSourceProvider and FileSourceConfig.from. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class FileSourceProviderTest {
  @TempDir Path dir;

  private ConfigObject settings(String... lines) {
    return ConfigFormat.YAML.parse(
        String.join("\n", lines).getBytes(StandardCharsets.UTF_8),
        ConfigOrigin.ofFile("settings", dir.resolve("settings.yaml")));
  }

  private static List<String> problems(Runnable r) {
    try {
      r.run();
    } catch (ConfigException e) {
      return e.problems().stream().map(Problem::toString).toList();
    }
    throw new AssertionError("no problems");
  }

  @Test
  void isFoundThroughTheServiceLoader() {
    assertThat(ServiceLoader.load(SourceProvider.class))
        .anySatisfy(
            p -> {
              assertThat(p).isInstanceOf(FileSourceProvider.class);
              assertThat(p.type()).isEqualTo("file");
            });
  }

  @Test
  void aFileEntryBecomesAWatchedFileWithItsSettingsRelativeToTheSettingsFile() {
    ConfigObject entry =
        settings(
            "type: file",
            "path: config/app.yaml",
            "debounce: 250ms",
            "max-wait: 3s",
            "rename-window: 5ms",
            "rescan-interval: 0s",
            "format: yml");
    try (ConfigSource source =
        new FileSourceProvider().create(entry, SourceContext.of("sources[0]"))) {
      FileSource file = (FileSource) source;
      assertThat(file.path()).isEqualTo(dir.resolve("config/app.yaml"));
      assertThat(file.isDirectory()).isFalse();
      assertThat(file.config().debounce()).isEqualTo(Duration.ofMillis(250));
      assertThat(file.config().maxWait()).isEqualTo(Duration.ofSeconds(3));
      assertThat(file.config().renameWindow()).isEqualTo(Duration.ofMillis(5));
      assertThat(file.config().rescanInterval()).isEqualTo(Duration.ZERO);
      assertThat(file.config().format()).contains(ConfigFormat.YAML);
    }
  }

  @Test
  void aFolderIsWatchedAsFragments() throws Exception {
    Files.createDirectories(dir.resolve("conf.d"));
    try (ConfigSource source =
        new FileSourceProvider()
            .create(settings("type: file", "path: conf.d"), SourceContext.of("sources[0]"))) {
      assertThat(((FileSource) source).isDirectory()).isTrue();
      assertThat(((FileSource) source).config().debounce()).isEqualTo(Duration.ofMillis(200));
    }
  }

  @Test
  void everyProblemOfAnEntryIsAtItsValue() {
    FileSourceProvider p = new FileSourceProvider();
    SourceContext at = SourceContext.of("sources[2]");
    String f = dir.resolve("settings.yaml").toString();
    assertThat(
            problems(
                () ->
                    p.create(
                        settings(
                            "type: file", "debounce: -PT1S", "rescan-interval: 5ms", "colour: x"),
                        at)))
        .containsExactly(
            f
                + ":4:9: sources[2].colour: unknown key (expected one of debounce, format, max-wait, path, rename-window, rescan-interval, type)");
    assertThat(
            problems(
                () ->
                    p.create(
                        settings("type: file", "debounce: -PT1S", "rescan-interval: 5ms"), at)))
        .containsExactly(
            f + ":1:1: sources[2].path: is required: the file or folder to watch",
            f + ":2:11: sources[2].debounce: debounce must be >= 0 but was -1000ms",
            f
                + ":3:18: sources[2].rescan-interval: rescanInterval must be 0 (off) or >= 10ms but was 5.0ms");
    assertThat(
            problems(
                () ->
                    p.create(
                        settings(
                            "type: file",
                            "path: a.yaml",
                            "debounce: 2s",
                            "max-wait: 1s",
                            "format: xml"),
                        at)))
        .containsExactly(
            f + ":5:9: sources[2].format: unknown format 'xml': expected yaml, json or properties");
    assertThat(
            problems(
                () ->
                    p.create(
                        settings("type: file", "path: a.yaml", "debounce: 2s", "max-wait: 1s"),
                        at)))
        .containsExactly(
            f + ":4:11: sources[2].max-wait: maxWait must be >= debounce (2000ms) but was 1000ms");
    // the extension tells the format, or format: must
    assertThat(problems(() -> p.create(settings("type: file", "path: app.conf"), at)))
        .singleElement()
        .asString()
        .startsWith(f + ":2:7: sources[2].path: cannot tell the format of 'app.conf'");
  }

  @Test
  void fileSourceConfigFromReadsTheTuningKeys() {
    FileSourceConfig c =
        FileSourceConfig.from(
            settings("debounce: 1s", "max-wait: 5s", "format: json", "path: ignored.yaml"),
            "hotconf.sources[0]");
    assertThat(c.debounce()).isEqualTo(Duration.ofSeconds(1));
    assertThat(c.maxWait()).isEqualTo(Duration.ofSeconds(5));
    assertThat(c.format()).contains(ConfigFormat.JSON);
    assertThatThrownBy(() -> FileSourceConfig.from(settings("debounce: 5"), "hotconf.sources[0]"))
        .isInstanceOf(ConfigException.class)
        .hasMessageEndingWith(
            "settings.yaml:1:11: hotconf.sources[0].debounce: expected a duration like 250ms, 5s, 2m or PT1H (a number needs a unit) but found 5");
  }

  /** Settings to a running config through the shared path, with a real file. */
  @Test
  void settingsAssembleIntoAHotConfigThatFollowsTheFile() throws Exception {
    Path app = dir.resolve("app.yaml");
    Files.writeString(app, "db: {pool: {max: 10}}\n");
    ConfigObject root =
        settings(
            "sources:",
            "  - type: file",
            "    path: app.yaml",
            "    debounce: 20ms",
            "    rename-window: 5ms",
            "start-timeout: 10s");
    try (Assembly<HotConfigSettings> assembly =
            Assembler.defaults().assemble(root, "", HotConfigSettings.class);
        HotConfig config = assembly.builder().name("provider-test").build()) {
      IntSetting max = config.intSetting("db.pool.max", 0);
      assertThat(max.getAsInt()).isEqualTo(10);
      Path tmp = dir.resolve(".app.yaml.tmp");
      Files.writeString(tmp, "db: {pool: {max: 20}}\n");
      Files.move(tmp, app, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      await().until(() -> max.getAsInt() == 20);
    }
  }
}
