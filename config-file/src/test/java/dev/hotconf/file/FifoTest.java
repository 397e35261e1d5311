package dev.hotconf.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A FIFO (named pipe) where the watched file should be: opening one for reading blocks until a
 * writer shows up, so a source that opens it on its only thread stops for good. Real FIFOs made by
 * {@code mkfifo}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FifoTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final int READS = 300;
  @TempDir Path dir;

  /**
   * The race of issue 14 (finding 5): the file's type is checked, then the path opened; a FIFO
   * renamed over the file in between used to block the scheduler thread forever (no later change
   * was ever read). Here a FIFO and a regular file are renamed over the watched file in turn, as
   * fast as the file system allows, while the source re-reads continuously; then a final regular
   * file is renamed over it, and the source must deliver it.
   */
  @Test
  void aFifoRenamedOverTheFileInTheMiddleOfAReadNeverStopsTheSource() throws Exception {
    Path watched = Files.createDirectory(dir.resolve("watched"));
    Path stash = Files.createDirectory(dir.resolve("stash"));
    Path file = watched.resolve("app.yaml");
    Files.writeString(file, "v: 0\n");
    Path fifo = mkfifo(stash.resolve("pipe"));
    Path regular = Files.writeString(stash.resolve("regular"), "v: 1\n");
    FileSourceConfig busy =
        FileSourceConfig.builder()
            .debounce(Duration.ofMillis(1))
            .maxWait(Duration.ofMillis(1))
            .renameWindow(Duration.ZERO)
            .rescanInterval(Duration.ZERO)
            .build();
    try (FileSource source = FileSource.watching(file, busy)) {
      CountingSource counting = new CountingSource(source);
      counting.start(counting.listenerForTest());
      await().atMost(WAIT).until(() -> !counting.deliveries().isEmpty());
      AtomicBoolean stop = new AtomicBoolean();
      Thread flapper =
          new Thread(
              () -> {
                try {
                  while (!stop.get()) {
                    renameOver(fifo, stash.resolve("t-pipe"), file);
                    renameOver(regular, stash.resolve("t-regular"), file);
                  }
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              },
              "fifo-flapper");
      flapper.start();
      try {
        // every read sees the FIFO (a failure) or the regular file (content), so deliveries
        // alternate while the source keeps reading: a few hundred reads give the race many chances
        // to land between the type check and the open (the old code stopped reading for good then)
        await()
            .atMost(Duration.ofSeconds(40))
            .until(() -> !flapper.isAlive() || counting.deliveries().size() >= READS);
      } finally {
        stop.set(true);
        flapper.join(WAIT.toMillis());
      }
      assertThat(flapper.isAlive()).isFalse();
      assertThat(racesHit(source))
          .as("opens that met a FIFO after the type check (released, or given up on)")
          .isPositive();
      Path last = Files.writeString(stash.resolve("last"), "v: 2\n");
      Files.move(last, file, StandardCopyOption.ATOMIC_MOVE);
      await()
          .atMost(WAIT)
          .until(
              () -> {
                List<CountingSource.Delivery> d = counting.deliveries();
                CountingSource.Delivery latest = d.get(d.size() - 1);
                return latest.content() != null
                    && Long.valueOf(2).equals(latest.content().get("v"));
              });
    }
  }

  /** Opens that found a FIFO after the type check: released, or given up on after the wait. */
  private static long racesHit(FileSource source) {
    return source.fifoReleases() + source.openTimeouts();
  }

  private static void renameOver(Path master, Path temp, Path target) throws IOException {
    Files.createLink(temp, master);
    Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
  }

  /** A FIFO made by mkfifo(1); skips the test where there is none. */
  static Path mkfifo(Path path) throws IOException, InterruptedException {
    Process p;
    try {
      p = new ProcessBuilder("mkfifo", path.toString()).redirectErrorStream(true).start();
    } catch (IOException e) {
      assumeThat(false).as("mkfifo is not available: " + e.getMessage()).isTrue();
      throw e;
    }
    assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("mkfifo exit code").isZero();
    return path;
  }
}
