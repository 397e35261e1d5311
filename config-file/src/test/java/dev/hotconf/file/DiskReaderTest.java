package dev.hotconf.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.hotconf.file.DiskReader.Content;
import dev.hotconf.file.DiskReader.Failed;
import dev.hotconf.file.DiskReader.Result;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link DiskReader} and FIFOs, step by step with real FIFOs ({@code mkfifo}): the type check, the
 * bounded open, the release of an open blocked on a FIFO, and no opener thread left behind.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class DiskReaderTest {
  private static final String LABEL = "disk-reader-test";
  @TempDir Path dir;

  @Test
  void aRegularFileIsReadOnAnOpenerThreadThatEndsWithTheOpen() throws Exception {
    Path file = Files.writeString(dir.resolve("app.yaml"), "a: 1\n");
    try (DiskReader reader = new DiskReader(LABEL)) {
      Result r = reader.readFile(file, 1024);
      assertThat(r)
          .isInstanceOfSatisfying(
              Content.class,
              c -> {
                assertThat(new String(c.bytes(), StandardCharsets.UTF_8)).isEqualTo("a: 1\n");
                assertThat(c.stable()).isTrue();
              });
      await().atMost(Duration.ofSeconds(5)).until(() -> openerThreads() == 0);
    }
  }

  @Test
  void aFifoFoundByTheTypeCheckIsAFailureAndNeverOpened() throws Exception {
    Path fifo = FifoTest.mkfifo(dir.resolve("app.yaml"));
    try (DiskReader reader = new DiskReader(LABEL)) {
      assertThat(reader.readFile(fifo, 1024))
          .isEqualTo(new Failed("is a FIFO (named pipe), expected a regular file"));
      assertThat(reader.fifoReleases()).isZero();
      assertThat(reader.openTimeouts()).isZero();
    }
  }

  /**
   * The race: the type check saw a regular file, then a FIFO took its place. The open blocks on the
   * FIFO; the reader sees the FIFO at the path, opens it read-write (a writer), and the open
   * returns; the seek on the opened file then tells it is no regular file.
   */
  @Test
  void anOpenBlockedOnAFifoIsReleasedAndTheOpenedFileIsSeenToBeNoRegularFile() throws Exception {
    Path fifo = FifoTest.mkfifo(dir.resolve("app.yaml"));
    try (DiskReader reader =
        new DiskReader(LABEL, Duration.ofSeconds(20), DiskReader.RELEASE_POLL)) {
      long started = System.nanoTime();
      try (FileChannel opened = reader.open(fifo)) {
        assertThat(opened).isNotNull();
        assertThatThrownBy(opened::position).isInstanceOf(IOException.class);
      }
      assertThat(Duration.ofNanos(System.nanoTime() - started))
          .as("released, not waited out")
          .isLessThan(Duration.ofSeconds(10));
      assertThat(reader.fifoReleases()).isPositive();
      assertThat(reader.openTimeouts()).isZero();
      assertThat(reader.blockedOpeners()).isZero();
    }
  }

  /**
   * An open blocked on a FIFO that left the path before the reader saw it (so it cannot be released
   * then) is given up on after the open wait: the caller gets on with a failure. The opener stays
   * parked until the FIFO is back at the path, when the next open releases it.
   */
  @Test
  void anOpenThatCannotBeReleasedIsGivenUpOnAfterTheWaitAndReleasedLater() throws Exception {
    Path file = dir.resolve("app.yaml");
    Path fifo = FifoTest.mkfifo(file);
    Path aside = dir.resolve("aside");
    // no look at the path until the wait is over: the test moves the FIFO away before that
    try (DiskReader reader = new DiskReader(LABEL, Duration.ofSeconds(5), Duration.ofHours(1))) {
      CompletableFuture<FileChannel> open =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return reader.open(fifo);
                } catch (IOException e) {
                  throw new java.io.UncheckedIOException(e);
                }
              });
      // the opener is parked in open(2) on the FIFO; the FIFO leaves, a regular file arrives
      await()
          .pollInterval(Duration.ofMillis(5))
          .atMost(Duration.ofSeconds(4))
          .until(DiskReaderTest::anOpenerIsInOpen);
      Files.move(file, aside);
      Files.move(
          Files.writeString(dir.resolve("regular"), "a: 1\n"),
          file,
          StandardCopyOption.ATOMIC_MOVE);
      assertThat(open.get(10, TimeUnit.SECONDS)).as("given up on").isNull();
      assertThat(reader.openTimeouts()).isEqualTo(1);
      assertThat(reader.blockedOpeners()).isEqualTo(1);

      // the regular file reads normally meanwhile
      assertThat(reader.readFile(file, 1024)).isInstanceOf(Content.class);

      // once the FIFO is back at the path, the next open releases the parked one
      Files.move(aside, file, StandardCopyOption.REPLACE_EXISTING);
      assertThat(reader.readFile(file, 1024))
          .isEqualTo(new Failed("is a FIFO (named pipe), expected a regular file"));
      await().atMost(Duration.ofSeconds(10)).until(() -> reader.blockedOpeners() == 0);
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> openerThreads() == 0);
  }

  private static boolean anOpenerIsInOpen() {
    return Thread.getAllStackTraces().entrySet().stream()
        .filter(e -> e.getKey().getName().startsWith("hotconf-file-opener-" + LABEL))
        .anyMatch(
            e -> Arrays.stream(e.getValue()).anyMatch(f -> f.getMethodName().startsWith("open0")));
  }

  private static long openerThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive)
        .filter(t -> t.getName().startsWith("hotconf-file-opener-" + LABEL))
        .count();
  }
}
