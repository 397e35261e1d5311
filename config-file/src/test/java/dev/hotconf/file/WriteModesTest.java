package dev.hotconf.file;

import static dev.hotconf.file.Support.quick;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hotconf.ConfigFailure;
import dev.hotconf.ConfigOrigin;
import dev.hotconf.ConfigSnapshot;
import dev.hotconf.HotConfig;
import dev.hotconf.IntSetting;
import dev.hotconf.SourceStatus;
import dev.hotconf.StringSetting;
import dev.hotconf.testing.files.FileReplacement;
import dev.hotconf.testing.files.KubernetesConfigMapVolume;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Every way tools replace a file ends with the final content live, through a real HotConfig. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class WriteModesTest {
  @TempDir Path dir;

  private static String doc(int version) {
    return "app:\n  version: " + version + "\n  name: \"v" + version + "\"\n";
  }

  /** Every published snapshot had one of the allowed versions (no torn or foreign content). */
  private static void assertOnlyVersions(List<ConfigSnapshot> published, Integer... allowed) {
    assertThat(published)
        .extracting(s -> s.find("app.version", Integer.class).orElse(null))
        .isSubsetOf(allowed);
  }

  @Test
  void inPlaceRewriteInChunks() throws Exception {
    Path file = dir.resolve("app.yaml");
    Files.writeString(file, doc(1));
    try (FileSource source = FileSource.watching(file, quick());
        HotConfig config = Support.build(source)) {
      List<ConfigSnapshot> published = Support.record(config);
      IntSetting version = config.intSetting("app.version");
      Writers.inPlace(file, doc(2), 3, Duration.ofMillis(5));
      await().atMost(Duration.ofSeconds(5)).until(() -> version.getAsInt() == 2);
      Writers.inPlace(file, doc(3), 1, Duration.ZERO);
      await().atMost(Duration.ofSeconds(5)).until(() -> version.getAsInt() == 3);
      assertThat(config.snapshot().getString("app.name")).isEqualTo("v3");
      assertOnlyVersions(Support.caughtUp(published, config), 1, 2, 3);
    }
  }

  @Test
  void inPlaceWriteWithInvalidIntermediateIsNeverPublished() throws Exception {
    Path file = dir.resolve("app.yaml");
    Files.writeString(file, "items: [a]\nmarker: start\n");
    try (FileSource source = FileSource.watching(file, quick());
        HotConfig config = Support.build(source)) {
      List<ConfigSnapshot> published = Support.record(config);
      List<ConfigFailure> failures = new CopyOnWriteArrayList<>();
      config.onFailure(failures::add);
      String full = "items: [a, b, c]\nmarker: done\n";
      // truncate, write an invalid half (unclosed flow sequence), pause well past the debounce so
      // the source does read the half-written state, then write the rest
      Writers.inPlace(file, full, 2, Duration.ofMillis(300));
      StringSetting marker = config.stringSetting("marker");
      await().atMost(Duration.ofSeconds(5)).until(() -> marker.get().equals("done"));
      assertThat(failures)
          .as("the torn state was read and reported")
          .anySatisfy(f -> assertThat(f.kind()).isEqualTo(ConfigFailure.Kind.SOURCE_FAILED));
      assertThat(Support.caughtUp(published, config))
          .extracting(s -> s.getString("marker"))
          .containsOnly("start", "done");
      assertThat(published.get(published.size() - 1).root().unwrapped().get("items"))
          .isEqualTo(List.of("a", "b", "c"));
      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> Support.state(config, source) == SourceStatus.State.OK);
    }
  }

  @Test
  void validHalfWrittenStateIsSupersededByTheWholeFile() throws Exception {
    Path file = dir.resolve("app.yaml");
    Files.writeString(file, "a: 0\n");
    try (FileSource source = FileSource.watching(file, quick());
        HotConfig config = Support.build(source)) {
      // the first half "a: 1\n" is valid on its own and may well be published; the whole must win
      Writers.inPlace(file, "a: 1\nb: 2\n", 2, Duration.ofMillis(200));
      await().atMost(Duration.ofSeconds(5)).until(() -> config.snapshot().has("b"));
      assertThat(config.snapshot().getInt("a")).isEqualTo(1);
      assertThat(config.snapshot().getInt("b")).isEqualTo(2);
    }
  }

  @Test
  void renameOverFromEditorsAnsibleAndIntellij() throws Exception {
    Path file = dir.resolve("app.yaml");
    Files.writeString(file, doc(1));
    try (FileSource source = FileSource.watching(file, quick());
        HotConfig config = Support.build(source)) {
      List<ConfigSnapshot> published = Support.record(config);
      IntSetting version = config.intSetting("app.version");
      FileReplacement.renameOver(file, doc(2), ".app.yaml.swx.tmp");
      await().atMost(Duration.ofSeconds(5)).until(() -> version.getAsInt() == 2);
      FileReplacement.renameOver(file, doc(3), ".app.yaml.4242.2026-11-22@03:00:00~"); // Ansible
      await().atMost(Duration.ofSeconds(5)).until(() -> version.getAsInt() == 3);
      FileReplacement.renameOver(file, doc(4), "app.yaml___jb_tmp___"); // IntelliJ safe write
      await().atMost(Duration.ofSeconds(5)).until(() -> version.getAsInt() == 4);
      assertOnlyVersions(Support.caughtUp(published, config), 1, 2, 3, 4);
      assertThat(published).hasSize(4);
    }
  }

  @Test
  void vimStyleBackupRenameNewFileDeleteBackup() throws Exception {
    Path file = dir.resolve("app.yaml");
    Files.writeString(file, doc(1));
    try (FileSource source = FileSource.watching(file, quick());
        HotConfig config = Support.build(source)) {
      List<ConfigSnapshot> published = Support.record(config);
      IntSetting version = config.intSetting("app.version");
      FileReplacement.vim(file, doc(2));
      await().atMost(Duration.ofSeconds(5)).until(() -> version.getAsInt() == 2);
      FileReplacement.vim(file, doc(3));
      await().atMost(Duration.ofSeconds(5)).until(() -> version.getAsInt() == 3);
      assertOnlyVersions(Support.caughtUp(published, config), 1, 2, 3);
      assertThat(Support.state(config, source)).isEqualTo(SourceStatus.State.OK);
    }
  }

  @Test
  void deletePauseRecreate() throws Exception {
    Path file = dir.resolve("app.yaml");
    Files.writeString(file, doc(1));
    try (FileSource source = FileSource.watching(file, quick());
        HotConfig config = Support.build(source)) {
      List<ConfigSnapshot> published = Support.record(config);
      IntSetting version = config.intSetting("app.version");
      Files.delete(file);
      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> Support.state(config, source) == SourceStatus.State.MISSING);
      assertThat(version.getAsInt()).as("last good content stays").isEqualTo(1);
      Writers.pause(Duration.ofMillis(100));
      Files.writeString(file, doc(2));
      await().atMost(Duration.ofSeconds(5)).until(() -> version.getAsInt() == 2);
      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> Support.state(config, source) == SourceStatus.State.OK);
      // and a quick one, faster than the debounce
      Writers.deleteRecreate(file, doc(3), Duration.ofMillis(2));
      await().atMost(Duration.ofSeconds(5)).until(() -> version.getAsInt() == 3);
      assertOnlyVersions(Support.caughtUp(published, config), 1, 2, 3);
    }
  }

  @Test
  void kubernetesConfigMapSwap() throws Exception {
    KubernetesConfigMapVolume kube = new KubernetesConfigMapVolume(dir);
    kube.publish("app.yaml", doc(1));
    Path file = dir.resolve("app.yaml");
    Path link = Files.readSymbolicLink(file);
    try (FileSource source = FileSource.watching(file, quick());
        HotConfig config = Support.build(source)) {
      List<ConfigSnapshot> published = Support.record(config);
      IntSetting version = config.intSetting("app.version");
      for (int v = 2; v <= 5; v++) {
        kube.publish("app.yaml", doc(v));
        int expected = v;
        await().atMost(Duration.ofSeconds(5)).until(() -> version.getAsInt() == expected);
      }
      assertThat(Files.readSymbolicLink(file))
          .as("the visible file itself never changed")
          .isEqualTo(link);
      assertOnlyVersions(Support.caughtUp(published, config), 1, 2, 3, 4, 5);
      assertThat(published).hasSize(5);
    }
  }

  @Test
  void originsNameTheFileAsGivenWithLineAndColumn() throws Exception {
    KubernetesConfigMapVolume kube = new KubernetesConfigMapVolume(dir);
    kube.publish("app.yaml", "a: 1\nb:\n  c: two\n");
    Path file = dir.resolve("app.yaml");
    try (FileSource source = FileSource.watching(file, quick());
        HotConfig config = Support.build(source)) {
      ConfigOrigin origin = config.snapshot().origin("b.c").orElseThrow();
      assertThat(origin.sourceName()).isEqualTo("file");
      assertThat(origin.location()).isEqualTo(file.toString());
      assertThat(origin.line()).isEqualTo(3);
      assertThat(origin.column()).isPositive();
      assertThat(source.name()).isEqualTo("file:" + file);
    }
  }

  @Test
  void identicalContentIsNotDeliveredAgain() throws Exception {
    Path file = dir.resolve("app.yaml");
    Files.writeString(file, doc(1));
    CountingSource counting = new CountingSource(FileSource.watching(file, quick()));
    try (HotConfig config = Support.build(counting)) {
      List<ConfigSnapshot> published = Support.record(config);
      await().atMost(Duration.ofSeconds(5)).until(() -> counting.contents() == 1);
      Writers.inPlace(file, doc(1), 1, Duration.ZERO);
      FileReplacement.renameOver(file, doc(1), "app.yaml.tmp");
      FileReplacement.vim(file, doc(1));
      Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.fromMillis(0));
      Writers.inPlace(
          file, doc(2), 1, Duration.ZERO); // a real change, to know the others were handled
      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> config.snapshot().getInt("app.version") == 2);
      await()
          .during(Duration.ofMillis(200))
          .atMost(Duration.ofSeconds(2))
          .until(() -> counting.contents() == 2);
      assertThat(Support.caughtUp(published, config)).hasSize(2);
    }
  }
}
