package dev.hotconf.file;

import static dev.hotconf.file.Support.quick;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hotconf.ConfigSnapshot;
import dev.hotconf.HotConfig;
import dev.hotconf.SourceStatus.State;
import dev.hotconf.parse.ConfigFormat;
import dev.hotconf.testing.files.FileReplacement;
import dev.hotconf.testing.files.KubernetesConfigMapVolume;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** conf.d-style folders: lexical order, ignored names, failures, Kubernetes ConfigMap folders. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class DirectoryModeTest {
  private static final Duration WAIT = Duration.ofSeconds(5);
  @TempDir Path dir;

  @Test
  void fragmentsMergeInLexicalOrderLaterOverridesEarlier() throws Exception {
    Files.writeString(
        dir.resolve("10-base.yaml"), "db:\n  host: base\n  port: 5432\nlevel: base\n");
    Files.writeString(
        dir.resolve("20-site.json"), "{\"db\": {\"host\": \"site\"}, \"level\": \"site\"}");
    Files.writeString(dir.resolve("30-local.properties"), "level=local\n");
    Files.writeString(dir.resolve("05-first.yml"), "level: first\nonly: first\n");
    try (FileSource source = FileSource.directory(dir, quick());
        HotConfig config = Support.build(source)) {
      ConfigSnapshot s = config.snapshot();
      assertThat(s.getString("db.host")).isEqualTo("site");
      assertThat(s.getInt("db.port")).isEqualTo(5432);
      assertThat(s.getString("level")).isEqualTo("local");
      assertThat(s.getString("only")).isEqualTo("first");
      assertThat(s.origin("db.host").orElseThrow().location())
          .isEqualTo(dir.resolve("20-site.json").toString());
      assertThat(s.origin("db.port").orElseThrow().location())
          .isEqualTo(dir.resolve("10-base.yaml").toString());
      assertThat(s.origin("db.port").orElseThrow().line()).isEqualTo(3);

      Files.writeString(dir.resolve("40-late.yaml"), "level: late\n");
      await().atMost(WAIT).until(() -> config.snapshot().getString("level").equals("late"));
      Files.delete(dir.resolve("40-late.yaml"));
      await().atMost(WAIT).until(() -> config.snapshot().getString("level").equals("local"));
    }
  }

  @Test
  void hiddenAndEditorTempFilesAreIgnored() throws Exception {
    Files.writeString(dir.resolve("10-app.yaml"), "v: real\n");
    Map<String, String> junk = new LinkedHashMap<>();
    junk.put(".hidden.yaml", "v: hidden\nbad: [");
    junk.put("10-app.yaml~", "v: backup\n");
    junk.put(".10-app.yaml.swp", "binary junk [");
    junk.put("10-app.yaml.swp", "v: swap\n");
    junk.put("20-app.yaml.tmp", "v: tmp\n");
    junk.put("20-app.yaml___jb_tmp___", "v: jb\n");
    junk.put("20-app.yaml___jb_old___", "v: jbold\n");
    junk.put("#20-app.yaml#", "v: emacs\n");
    junk.put("4913", "");
    junk.put("README.md", "# not config\n");
    for (Map.Entry<String, String> e : junk.entrySet()) {
      Files.writeString(dir.resolve(e.getKey()), e.getValue());
    }
    Files.createDirectory(dir.resolve("sub.yaml"));
    Files.writeString(dir.resolve("sub.yaml/30-deep.yaml"), "v: deep\n");
    try (FileSource source = FileSource.directory(dir, quick());
        HotConfig config = Support.build(source)) {
      assertThat(config.snapshot().values()).containsOnlyKeys("v");
      assertThat(config.snapshot().getString("v")).isEqualTo("real");
      List<ConfigSnapshot> published = Support.record(config);
      // editors' temp files coming and going never publish anything, nor break anything
      Files.writeString(dir.resolve("50-x.yaml.tmp"), "v: tmp2\n");
      Files.writeString(dir.resolve(".50-x.yaml.swp"), "[[[");
      FileReplacement.renameOver(
          dir.resolve("10-app.yaml"), "v: edited\n", "10-app.yaml___jb_tmp___");
      await().atMost(WAIT).until(() -> config.snapshot().getString("v").equals("edited"));
      assertThat(Support.caughtUp(published, config)).hasSize(2);
      assertThat(Support.state(config, source)).isEqualTo(State.OK);
    }
  }

  @Test
  void aFragmentThatFailsToParseKeepsTheLastGoodMergedContent() throws Exception {
    Files.writeString(dir.resolve("10-a.yaml"), "a: 1\n");
    Files.writeString(dir.resolve("20-b.yaml"), "b: 1\n");
    try (FileSource source = FileSource.directory(dir, quick());
        HotConfig config = Support.build(source)) {
      FileReplacement.renameOver(dir.resolve("20-b.yaml"), "b: [2\n", "20-b.yaml.tmp");
      Writers.inPlace(dir.resolve("10-a.yaml"), "a: 2\n", 1, Duration.ZERO);
      await().atMost(WAIT).until(() -> Support.state(config, source) == State.FAILING);
      assertThat(Support.status(config, source).lastError())
          .contains(dir.resolve("20-b.yaml") + ":");
      assertThat(config.snapshot().getInt("a"))
          .as("all or nothing: the last good merge stays")
          .isEqualTo(1);
      FileReplacement.vim(dir.resolve("20-b.yaml"), "b: 2\n");
      await().atMost(WAIT).until(() -> config.snapshot().getInt("b") == 2);
      assertThat(config.snapshot().getInt("a")).isEqualTo(2);
      assertThat(Support.state(config, source)).isEqualTo(State.OK);
    }
  }

  @Test
  void emptyFolderIsEmptyConfigAndMissingFolderIsMissing() throws Exception {
    Path conf = dir.resolve("conf.d");
    FileSource source = FileSource.directory(conf, quick());
    try (HotConfig config = Support.build(source)) {
      assertThat(Support.state(config, source)).isEqualTo(State.MISSING);
      Files.createDirectory(conf);
      Files.writeString(conf.resolve("app.yaml"), "a: 1\n");
      await().atMost(WAIT).until(() -> config.snapshot().has("a"));
      Files.delete(conf.resolve("app.yaml"));
      await().atMost(WAIT).until(() -> !config.snapshot().has("a"));
      assertThat(Support.state(config, source)).isEqualTo(State.OK);
    }
  }

  @Test
  void kubernetesConfigMapMountedAsAFolder() throws Exception {
    KubernetesConfigMapVolume kube = new KubernetesConfigMapVolume(dir);
    kube.publish(Map.of("10-base.yaml", "a: 1\nb: 1\n", "20-env.yaml", "b: 2\n"));
    try (FileSource source = FileSource.directory(dir, quick());
        HotConfig config = Support.build(source)) {
      assertThat(config.snapshot().getInt("a")).isEqualTo(1);
      assertThat(config.snapshot().getInt("b")).isEqualTo(2);
      kube.publish(Map.of("10-base.yaml", "a: 5\nb: 1\n", "20-env.yaml", "b: 6\n"));
      await()
          .atMost(WAIT)
          .until(() -> config.snapshot().getInt("a") == 5 && config.snapshot().getInt("b") == 6);
    }
  }

  @Test
  void forcedFormatReadsEveryNonIgnoredFile() throws Exception {
    Files.writeString(dir.resolve("database"), "db.host=h\n");
    Files.writeString(dir.resolve("database~"), "db.host=backup\n");
    FileSourceConfig cfg = quick().toBuilder().format(ConfigFormat.PROPERTIES).build();
    try (FileSource source = FileSource.directory(dir, cfg);
        HotConfig config = Support.build(source)) {
      assertThat(config.snapshot().getString("db.host")).isEqualTo("h");
    }
  }
}
