package dev.hotconf.file;

import dev.hotconf.testing.files.FileReplacement;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * config-file's tests' side of {@link FileReplacement}: the writes whose scenario pauses between
 * steps, with the pause done through Awaitility.
 */
final class Writers {
  private Writers() {}

  /**
   * A writer pausing for {@code d} as part of the simulated scenario (e.g. between two chunks of an
   * in-place write). Never used to wait for hotconf: tests synchronise on outcomes with Awaitility.
   */
  static void pause(Duration d) {
    if (d.isZero()) {
      return;
    }
    org.awaitility.Awaitility.await("writer pause")
        .pollDelay(d)
        .atMost(d.plusSeconds(5))
        .until(() -> true);
  }

  /**
   * {@link FileReplacement#inPlace(Path, String, int, Duration, FileReplacement.Pause)}, pausing
   * with {@link #pause}.
   */
  static void inPlace(Path file, String content, int chunks, Duration pauseBetween)
      throws IOException {
    FileReplacement.inPlace(file, content, chunks, pauseBetween, Writers::pause);
  }

  /** {@link FileReplacement#deleteRecreate}, pausing with {@link #pause}. */
  static void deleteRecreate(Path file, String content, Duration gap) throws IOException {
    FileReplacement.deleteRecreate(file, content, gap, Writers::pause);
  }
}
