package dev.hotconf.file;

import dev.hotconf.testing.files.FileReplacement;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * config-file's tests' side of {@link FileReplacement}: the writes whose scenario pauses between
 * steps.
 */
final class Writers {
  private Writers() {}

  /**
   * The simulated writer pauses for {@code d} between two steps of its own write (two chunks of an
   * in-place write, a delete and the re-create, the gap between two saves): the pause is part of
   * the scenario, the timing a real tool has, so it is a plain sleep, on purpose. It never waits
   * for hotconf: tests synchronise on outcomes with Awaitility.
   */
  static void pause(Duration d) {
    if (d.isZero()) {
      return;
    }
    try {
      TimeUnit.NANOSECONDS.sleep(d.toNanos());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted during a writer's pause", e);
    }
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
