package dev.hotconf.file;

import static dev.hotconf.file.EventLog.Kind.CREATE;
import static dev.hotconf.file.EventLog.Kind.DELETE;
import static dev.hotconf.file.EventLog.Kind.MODIFY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hotconf.HotConfig;
import dev.hotconf.IntSetting;
import dev.hotconf.file.EventLog.Event;
import dev.hotconf.file.EventLog.Kind;
import dev.hotconf.file.FastPath.Tracked;
import dev.hotconf.testing.files.FileReplacement;
import dev.hotconf.testing.files.KubernetesConfigMapVolume;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The fast rename path: which event patterns qualify, and that it really is faster end to end. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class FastPathTest {
  private static final Path ROOT = Path.of("/etc/app");
  private static final Path FILE = ROOT.resolve("app.yaml");

  private static List<Event> events(Object... kindAndName) {
    List<Event> out = new ArrayList<>();
    for (int i = 0; i < kindAndName.length; i += 2) {
      out.add(new Event(i, (Kind) kindAndName[i], ROOT.resolve((String) kindAndName[i + 1])));
    }
    return out;
  }

  private static Tracked plain(boolean exists) {
    return new Tracked(FILE, Set.of(FILE), exists ? FILE : null, FILE, exists);
  }

  private static Tracked kube(String realFolder, String previousFolder) {
    return new Tracked(
        FILE,
        Set.of(FILE, ROOT.resolve("..data")),
        ROOT.resolve(realFolder).resolve("app.yaml"),
        ROOT.resolve(previousFolder).resolve("app.yaml"),
        true);
  }

  @Nested
  class Patterns {
    @Test
    void renameOverQualifies() {
      assertThat(
              FastPath.eligible(
                  events(
                      CREATE,
                      "app.yaml.tmp",
                      MODIFY,
                      "app.yaml.tmp",
                      DELETE,
                      "app.yaml.tmp",
                      CREATE,
                      "app.yaml"),
                  List.of(plain(true))))
          .isTrue();
    }

    @Test
    void writingIntoTheFileAfterTheRenameDoesNot() {
      assertThat(
              FastPath.eligible(
                  events(DELETE, "app.yaml.tmp", CREATE, "app.yaml", MODIFY, "app.yaml"),
                  List.of(plain(true))))
          .isFalse();
    }

    @Test
    void inPlaceWriteDoesNot() {
      assertThat(
              FastPath.eligible(
                  events(MODIFY, "app.yaml", MODIFY, "app.yaml"), List.of(plain(true))))
          .isFalse();
    }

    @Test
    void vimDoesNot() {
      // rename to backup, create + write the new file, delete the backup
      assertThat(
              FastPath.eligible(
                  events(
                      DELETE,
                      "app.yaml",
                      CREATE,
                      "app.yaml~",
                      CREATE,
                      "app.yaml",
                      MODIFY,
                      "app.yaml",
                      DELETE,
                      "app.yaml~"),
                  List.of(plain(true))))
          .isFalse();
      // even when caught before vim wrote anything into the new file
      assertThat(
              FastPath.eligible(
                  events(DELETE, "app.yaml", CREATE, "app.yaml~", CREATE, "app.yaml"),
                  List.of(plain(true))))
          .isFalse();
    }

    @Test
    void deleteAndRecreateDoesNot() {
      assertThat(
              FastPath.eligible(
                  events(DELETE, "app.yaml", CREATE, "app.yaml"), List.of(plain(true))))
          .isFalse();
    }

    @Test
    void aCreateNotPrecededByARenameSourceDoesNot() {
      // a temp file deleted, then the target created by open(O_CREAT): not a rename
      assertThat(
              FastPath.eligible(
                  events(DELETE, "x.tmp", MODIFY, "other", CREATE, "app.yaml"),
                  List.of(plain(true))))
          .isFalse();
    }

    @Test
    void kubernetesSwapQualifies() {
      List<Event> swap =
          events(
              CREATE,
              "..2026_11_22_03_00_01.1",
              CREATE,
              "..2026_11_22_03_00_01.1/app.yaml",
              MODIFY,
              "..2026_11_22_03_00_01.1/app.yaml",
              CREATE,
              "..data_tmp",
              DELETE,
              "..data_tmp",
              CREATE,
              "..data",
              DELETE,
              "..2026_11_22_03_00_00.0/app.yaml",
              DELETE,
              "..2026_11_22_03_00_00.0");
      assertThat(
              FastPath.eligible(
                  swap, List.of(kube("..2026_11_22_03_00_01.1", "..2026_11_22_03_00_00.0"))))
          .isTrue();
    }

    @Test
    void kubernetesSwapWithAWriteIntoTheNewFileAfterwardsDoesNot() {
      List<Event> swap =
          events(
              CREATE,
              "..data_tmp",
              DELETE,
              "..data_tmp",
              CREATE,
              "..data",
              MODIFY,
              "..2026_11_22_03_00_01.1/app.yaml");
      assertThat(
              FastPath.eligible(
                  swap, List.of(kube("..2026_11_22_03_00_01.1", "..2026_11_22_03_00_00.0"))))
          .isFalse();
    }

    @Test
    void eventsOnOtherFilesOnlyWaitForTheQuietPeriod() {
      assertThat(FastPath.eligible(events(MODIFY, "other.log", CREATE, "x"), List.of(plain(true))))
          .isFalse();
    }

    @Test
    void aRemovedFileQualifies() {
      assertThat(
              FastPath.eligible(
                  events(MODIFY, "app.yaml", DELETE, "app.yaml"), List.of(plain(false))))
          .isTrue();
    }

    @Test
    void overflowDoesNot() {
      List<Event> e = new ArrayList<>(events(DELETE, "t", CREATE, "app.yaml"));
      e.add(new Event(9, Kind.OVERFLOW, null));
      assertThat(FastPath.eligible(e, List.of(plain(true)))).isFalse();
    }

    @Test
    void linkChainFollowsKubernetesLinks(@TempDir Path dir) throws Exception {
      new KubernetesConfigMapVolume(dir).publish("app.yaml", "a: 1\n");
      assertThat(FastPath.linkChain(dir.resolve("app.yaml")))
          .containsExactly(dir.resolve("app.yaml"), dir.resolve("..data"));
      Files.writeString(dir.resolve("plain.yaml"), "a: 1\n");
      assertThat(FastPath.linkChain(dir.resolve("plain.yaml")))
          .containsExactly(dir.resolve("plain.yaml"));
    }
  }

  @Nested
  class EndToEnd {
    @TempDir Path dir;

    /** A long quiet period, so that going live well before it proves the fast path was taken. */
    private FileSourceConfig slowDebounce() {
      return FileSourceConfig.builder()
          .debounce(Duration.ofMillis(1500))
          .maxWait(Duration.ofSeconds(10))
          .renameWindow(Duration.ofMillis(20))
          .rescanInterval(Duration.ZERO)
          .build();
    }

    @Test
    void renameOverGoesLiveWithinTheRenameWindow() throws Exception {
      Path file = dir.resolve("app.yaml");
      Files.writeString(file, "v: 1\n");
      try (FileSource source = FileSource.watching(file, slowDebounce());
          HotConfig config = Support.build(source)) {
        IntSetting v = config.intSetting("v");
        for (int i = 2; i <= 4; i++) {
          FileReplacement.renameOver(file, "v: " + i + "\n", ".app.yaml." + i + ".tmp");
          int expected = i;
          await().atMost(Duration.ofMillis(1000)).until(() -> v.getAsInt() == expected);
        }
        assertThat(source.fastReads()).isEqualTo(3);
        assertThat(source.slowReads()).isZero();
      }
    }

    @Test
    void kubernetesSwapGoesLiveFast() throws Exception {
      KubernetesConfigMapVolume kube = new KubernetesConfigMapVolume(dir);
      kube.publish("app.yaml", "v: 1\n");
      Path file = dir.resolve("app.yaml");
      try (FileSource source = FileSource.watching(file, slowDebounce());
          HotConfig config = Support.build(source)) {
        IntSetting v = config.intSetting("v");
        kube.publish("app.yaml", "v: 2\n");
        await().atMost(Duration.ofSeconds(5)).until(() -> v.getAsInt() == 2);
        assertThat(source.fastReads()).isEqualTo(1);
      }
    }

    @Test
    void inPlaceWriteWaitsForTheQuietPeriod() throws Exception {
      Path file = dir.resolve("app.yaml");
      Files.writeString(file, "v: 1\n");
      try (FileSource source = FileSource.watching(file, slowDebounce());
          HotConfig config = Support.build(source)) {
        IntSetting v = config.intSetting("v");
        Writers.inPlace(file, "v: 2\n", 1, Duration.ZERO);
        await()
            .between(Duration.ofMillis(1200), Duration.ofSeconds(6))
            .until(() -> v.getAsInt() == 2);
        assertThat(source.fastReads()).isZero();
      }
    }
  }
}
