package dev.hotconf.file;

import static dev.hotconf.file.Support.quick;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import dev.hotconf.HotConfig;
import dev.hotconf.IntSetting;
import dev.hotconf.SourceStatus;
import dev.hotconf.SourceStatus.State;
import dev.hotconf.source.Sources;
import dev.hotconf.testing.files.FileReplacement;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Missing, failing and vanishing files and folders. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class MissingAndFailingTest {
  private static final Duration WAIT = Duration.ofSeconds(5);
  @TempDir Path dir;

  @Test
  void missingAtStartContributesNothingAndIsPickedUpWhenCreated() throws Exception {
    Path file = dir.resolve("app.yaml");
    FileSource source = FileSource.watching(file, quick());
    try (HotConfig config =
        Support.build(Sources.memory("defaults", Map.of("a", 1, "b", 1)), source)) {
      assertThat(config.snapshot().getInt("a")).isEqualTo(1);
      SourceStatus status = Support.status(config, source);
      assertThat(status.state()).isEqualTo(State.MISSING);
      assertThat(status.lastError()).contains("file not found");
      Files.writeString(file, "a: 2\n");
      IntSetting a = config.intSetting("a");
      await().atMost(WAIT).until(() -> a.getAsInt() == 2);
      assertThat(config.snapshot().getInt("b")).isEqualTo(1);
      assertThat(Support.state(config, source)).isEqualTo(State.OK);
    }
  }

  @Test
  void folderMissingAtStartIsWaitedFor() throws Exception {
    Path folder = dir.resolve("conf");
    Path file = folder.resolve("app.yaml");
    FileSource source = FileSource.watching(file, quick());
    try (HotConfig config = Support.build(Sources.memory("defaults", Map.of("a", 1)), source)) {
      assertThat(Support.status(config, source).lastError())
          .contains("folder " + folder + " does not exist");
      Files.createDirectory(folder);
      Files.writeString(file, "a: 2\n");
      IntSetting a = config.intSetting("a");
      await().atMost(WAIT).until(() -> a.getAsInt() == 2);
    }
  }

  @Test
  void deletedLaterKeepsLastGoodThenReturns() throws Exception {
    Path file = dir.resolve("app.yaml");
    Files.writeString(file, "a: 1\n");
    try (FileSource source = FileSource.watching(file, quick());
        HotConfig config = Support.build(source)) {
      IntSetting a = config.intSetting("a");
      Instant before = Instant.now();
      Files.delete(file);
      await().atMost(WAIT).until(() -> Support.state(config, source) == State.MISSING);
      SourceStatus missing = Support.status(config, source);
      assertThat(missing.since()).isAfterOrEqualTo(before.minusMillis(1));
      assertThat(a.getAsInt()).isEqualTo(1);
      assertThat(config.snapshot().getInt("a")).isEqualTo(1);
      Files.writeString(file, "a: 3\n");
      await().atMost(WAIT).until(() -> a.getAsInt() == 3);
      assertThat(Support.state(config, source)).isEqualTo(State.OK);
    }
  }

  @Test
  void aDirectoryWhereAFileWasExpectedFails() throws Exception {
    Path file = dir.resolve("app.yaml");
    Files.writeString(file, "a: 1\n");
    try (FileSource source = FileSource.watching(file, quick());
        HotConfig config = Support.build(source)) {
      Files.delete(file);
      Files.createDirectory(file);
      await().atMost(WAIT).until(() -> Support.state(config, source) == State.FAILING);
      assertThat(Support.status(config, source).lastError())
          .contains(file.toString())
          .contains("is a directory, expected a file");
      assertThat(config.snapshot().getInt("a")).isEqualTo(1);
      Files.delete(file);
      Files.writeString(file, "a: 2\n");
      await().atMost(WAIT).until(() -> config.snapshot().getInt("a") == 2);
    }
  }

  @Test
  void aDirectoryAtStartFailsTheBuildWithAClearMessage() throws Exception {
    Path file = dir.resolve("app.yaml");
    Files.createDirectory(file);
    try (FileSource source = FileSource.watching(file, quick())) {
      org.assertj.core.api.Assertions.assertThatThrownBy(
              () -> HotConfig.builder().source(source).startTimeout(Duration.ofMillis(500)).build())
          .hasMessageContaining(file + ": is a directory, expected a file");
    }
  }

  @Test
  void watchedFolderDeletedAndRecreated() throws Exception {
    Path folder = Files.createDirectory(dir.resolve("conf"));
    Path file = folder.resolve("app.yaml");
    Files.writeString(file, "a: 1\n");
    try (FileSource source = FileSource.watching(file, quick());
        HotConfig config = Support.build(source)) {
      IntSetting a = config.intSetting("a");
      FileReplacement.deleteTree(folder);
      await().atMost(WAIT).until(() -> Support.state(config, source) == State.MISSING);
      assertThat(a.getAsInt()).isEqualTo(1);
      Files.createDirectory(folder);
      Files.writeString(file, "a: 2\n");
      await().atMost(WAIT).until(() -> a.getAsInt() == 2);
      // the re-armed watcher sees ordinary edits again
      Writers.inPlace(file, "a: 3\n", 1, Duration.ZERO);
      await().atMost(WAIT).until(() -> a.getAsInt() == 3);
    }
  }

  @Test
  void watchedFolderRenamedAwayAndReplaced() throws Exception {
    Path folder = Files.createDirectory(dir.resolve("conf"));
    Path file = folder.resolve("app.yaml");
    Files.writeString(file, "a: 1\n");
    try (FileSource source = FileSource.watching(file, quick());
        HotConfig config = Support.build(source)) {
      IntSetting a = config.intSetting("a");
      // the old folder (and its watch) lives on under another name: only the health check notices
      Files.move(folder, dir.resolve("conf.old"));
      Files.createDirectory(folder);
      Files.writeString(file, "a: 2\n");
      await().atMost(WAIT).until(() -> a.getAsInt() == 2);
      Files.writeString(dir.resolve("conf.old/app.yaml"), "a: 99\n");
      Writers.inPlace(file, "a: 3\n", 1, Duration.ZERO);
      await().atMost(WAIT).until(() -> a.getAsInt() == 3);
    }
  }

  @Test
  void unreadableFileFailsWithAClearMessage() throws Exception {
    Path file = dir.resolve("app.yaml");
    Files.writeString(file, "a: 1\n");
    try (FileSource source = FileSource.watching(file, quick());
        HotConfig config = Support.build(source)) {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("---------"));
      assumeThat(readable(file)).as("running as root: chmod 000 does not stop reading").isFalse();
      Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.from(Instant.now()));
      await().atMost(WAIT).until(() -> Support.state(config, source) == State.FAILING);
      assertThat(Support.status(config, source).lastError()).contains("permission denied");
      assertThat(config.snapshot().getInt("a")).isEqualTo(1);
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
      await().atMost(WAIT).until(() -> Support.state(config, source) == State.OK);
    } finally {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    }
  }

  private static boolean readable(Path file) {
    try {
      Files.readAllBytes(file);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  @Test
  void parseErrorKeepsLastGoodWithPositionedProblem() throws Exception {
    Path file = dir.resolve("app.yaml");
    Files.writeString(file, "a: 1\n");
    try (FileSource source = FileSource.watching(file, quick());
        HotConfig config = Support.build(source)) {
      FileReplacement.renameOver(file, "a: 1\nb: [unclosed\n", "app.yaml.tmp");
      await().atMost(WAIT).until(() -> Support.state(config, source) == State.FAILING);
      assertThat(Support.status(config, source).lastError()).startsWith(file + ":");
      assertThat(config.snapshot().has("b")).isFalse();
    }
  }

  @Test
  void parseErrorsHideWhatTheConfigurationsRedactorHides() throws Exception {
    // an unquoted value starting with * is a YAML alias: under a secret key its name is the secret
    Path file = dir.resolve("app.yaml");
    Files.writeString(file, "card:\n  pin: 1234\n");
    try (FileSource source = FileSource.watching(file, quick());
        HotConfig config =
            HotConfig.builder()
                .source(source)
                .redactor(dev.hotconf.Redactor.defaultsPlus("(^|\\.)pin$"))
                .startTimeout(Duration.ofSeconds(10))
                .build()) {
      FileReplacement.renameOver(file, "card:\n  pin: *9876x\n", "app.yaml.tmp");
      await().atMost(WAIT).until(() -> Support.state(config, source) == State.FAILING);
      assertThat(Support.status(config, source).lastError())
          .isEqualTo(file + ":2:8: found undefined alias");
    }
  }

  @Test
  void symlinkToAFileInAnotherFolderSeesEditsThere() throws Exception {
    Path elsewhere = Files.createDirectory(dir.resolve("shared"));
    Path real = elsewhere.resolve("real.yaml");
    Files.writeString(real, "a: 1\n");
    Path folder = Files.createDirectory(dir.resolve("conf"));
    Path file = folder.resolve("app.yaml");
    Files.createSymbolicLink(file, real);
    try (FileSource source = FileSource.watching(file, quick());
        HotConfig config = Support.build(source)) {
      IntSetting a = config.intSetting("a");
      Writers.inPlace(real, "a: 2\n", 1, Duration.ZERO);
      await().atMost(WAIT).until(() -> a.getAsInt() == 2);
      FileReplacement.renameOver(real, "a: 3\n", "real.yaml.tmp");
      await().atMost(WAIT).until(() -> a.getAsInt() == 3);
    }
  }

  @Test
  void safetyRescanSeesChangesWithoutNotifications() throws Exception {
    Path file = dir.resolve("app.yaml");
    Files.writeString(file, "a: 1\n");
    FileSourceConfig cfg = quick().toBuilder().rescanInterval(Duration.ofMillis(100)).build();
    try (FileSource source = FileSource.withoutNotifications(FileSource.watching(file, cfg));
        HotConfig config = Support.build(source)) {
      IntSetting a = config.intSetting("a");
      Writers.inPlace(file, "a: 2\n", 1, Duration.ZERO);
      await().atMost(WAIT).until(() -> a.getAsInt() == 2);
      Files.delete(file);
      await().atMost(WAIT).until(() -> Support.state(config, source) == State.MISSING);
    }
  }

  @Test
  void fileLargerThanTheParseLimitIsRefusedWithoutReadingIt() throws Exception {
    Path file = dir.resolve("app.yaml");
    Files.writeString(file, "a: 1\n");
    FileSourceConfig cfg =
        quick().toBuilder()
            .parseLimits(dev.hotconf.parse.ParseLimits.builder().maxDocumentBytes(64).build())
            .build();
    try (FileSource source = FileSource.watching(file, cfg);
        HotConfig config = Support.build(source)) {
      FileReplacement.renameOver(file, "a: 2\nb: \"" + "x".repeat(100) + "\"\n", "t.tmp");
      await().atMost(WAIT).until(() -> Support.state(config, source) == State.FAILING);
      assertThat(Support.status(config, source).lastError())
          .contains("above the limit of 64 bytes");
    }
  }
}
