package dev.hotconf.sidecar.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.hotconf.HotConfig;
import dev.hotconf.source.MemorySource;
import dev.hotconf.source.Sources;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The file target never opens what is at its path (issue 14, finding 6): it writes a temp file and
 * renames it over whatever is there, and decides whether to write by the hash of what it last
 * wrote.
 */
@Timeout(30)
class FilePushTargetTest {
  @TempDir Path dir;

  private static Published version(HotConfig config) {
    return Published.of(config.snapshot());
  }

  @Test
  void aFifoAtTheTargetIsReplacedNotOpened() throws Exception {
    Path target = dir.resolve("app.json");
    mkfifo(target);
    try (HotConfig config =
        HotConfig.builder().source(Sources.memory("m", Map.of("a", 1))).build()) {
      FilePushTarget t = new FilePushTarget(target);
      // reading a FIFO blocks until a writer opens it: this would hang forever
      assertTimeoutPreemptively(Duration.ofSeconds(10), () -> t.deliver(version(config)));
      assertThat(Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)).isTrue();
      assertThat(Files.readString(target)).isEqualTo("{\"a\":1}");
    }
  }

  @Test
  void aLinkToDevZeroIsReplacedNotFollowed() throws Exception {
    assumeTrue(Files.exists(Path.of("/dev/zero")));
    Path target = dir.resolve("app.json");
    Files.createSymbolicLink(target, Path.of("/dev/zero"));
    try (HotConfig config =
        HotConfig.builder().source(Sources.memory("m", Map.of("a", 1))).build()) {
      new FilePushTarget(target).deliver(version(config));
      assertThat(Files.isSymbolicLink(target)).isFalse();
      assertThat(Files.readString(target)).isEqualTo("{\"a\":1}");
    }
  }

  @Test
  void theContentIsWrittenOwnerOnlyAndOnlyWhenItsHashChanged() throws Exception {
    Path target = dir.resolve("out/app.json");
    MemorySource source = Sources.memory("m", Map.of("a", 1));
    try (HotConfig config = HotConfig.builder().source(source).build()) {
      FilePushTarget t = new FilePushTarget(target);
      Published v1 = version(config);
      t.deliver(v1);
      assertThat(Files.readString(target)).isEqualTo("{\"a\":1}");
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(target)))
          .isEqualTo("rw-------");
      // someone else rewrites the file: the same version is not written again (it is never read)
      Files.writeString(target, "edited");
      t.deliver(v1);
      assertThat(Files.readString(target)).isEqualTo("edited");
      source.update(Map.of("a", 2));
      await().until(() -> config.version() == 2);
      Published v2 = version(config);
      assertThat(v2.version()).isEqualTo(2);
      t.deliver(v2);
      assertThat(Files.readString(target)).isEqualTo("{\"a\":2}");
      // a new target (a restarted sidecar) always writes its first version
      Files.writeString(target, "edited");
      new FilePushTarget(target).deliver(v2);
      assertThat(Files.readString(target)).isEqualTo("{\"a\":2}");
      try (var files = Files.list(target.getParent())) {
        assertThat(files).containsExactly(target); // no temp file left
      }
    }
  }

  static void mkfifo(Path path) throws Exception {
    Process p;
    try {
      p = new ProcessBuilder("mkfifo", path.toString()).inheritIO().start();
    } catch (java.io.IOException e) {
      assumeTrue(false, "no mkfifo here");
      return;
    }
    assertThat(p.waitFor()).isZero();
    assertThat(Files.isRegularFile(path)).isFalse();
  }
}
