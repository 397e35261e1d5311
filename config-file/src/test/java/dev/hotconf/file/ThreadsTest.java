package dev.hotconf.file;

import static dev.hotconf.file.Support.quick;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.hotconf.HotConfig;
import dev.hotconf.SourceStatus.State;
import dev.hotconf.testing.files.FileReplacement;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** close() leaves no thread behind: ours, nor the JDK watch service's. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ThreadsTest {
  @TempDir Path dir;

  private static Set<Thread> threads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive)
        .collect(Collectors.toSet());
  }

  private static List<String> named(Set<Thread> threads, String prefix) {
    return threads.stream()
        .map(Thread::getName)
        .filter(n -> n.startsWith(prefix))
        .sorted()
        .toList();
  }

  /** Threads started since {@code before} that are still alive (but Awaitility's own poller). */
  private static List<String> leftSince(Set<Thread> before) {
    return threads().stream()
        .filter(t -> !before.contains(t))
        .map(Thread::getName)
        .filter(n -> !n.startsWith("awaitility"))
        .sorted()
        .toList();
  }

  @Test
  void oneWatcherAndOneSchedulerThreadPerSourceAndNoneAfterClose() throws Exception {
    Set<Thread> before = threads();
    Path file = dir.resolve("app.yaml");
    Files.writeString(file, "a: 1\n");
    Path conf = Files.createDirectory(dir.resolve("conf.d"));
    Files.writeString(conf.resolve("10-a.yaml"), "b: 1\n");
    FileSource fileSource = FileSource.watching(file, quick());
    FileSource folderSource = FileSource.directory(conf, quick());
    HotConfig config = Support.build(fileSource, folderSource);
    Set<Thread> running = threads();
    assertThat(named(running, "hotconf-file-"))
        .containsExactly(
            "hotconf-file-scheduler-app.yaml",
            "hotconf-file-scheduler-conf.d",
            "hotconf-file-watcher-app.yaml",
            "hotconf-file-watcher-conf.d");
    assertThat(running)
        .allSatisfy(
            t -> {
              if (t.getName().startsWith("hotconf-file-")) {
                assertThat(t.isDaemon()).as(t.getName() + " is a daemon").isTrue();
              }
            });
    config.close();
    await()
        .atMost(Duration.ofSeconds(2))
        .untilAsserted(() -> assertThat(leftSince(before)).isEmpty());
    assertThat(named(threads(), "hotconf-file-")).isEmpty();
  }

  @Test
  void reArmingDoesNotPileUpThreads() throws Exception {
    Set<Thread> before = threads();
    Path folder = Files.createDirectory(dir.resolve("conf"));
    Path file = folder.resolve("app.yaml");
    Files.writeString(file, "a: 0\n");
    FileSource source = FileSource.watching(file, quick());
    try (HotConfig config = Support.build(source)) {
      for (int i = 1; i <= 3; i++) {
        FileReplacement.deleteTree(folder);
        await()
            .atMost(Duration.ofSeconds(5))
            .until(() -> Support.state(config, source) == State.MISSING);
        Files.createDirectory(folder);
        Files.writeString(file, "a: " + i + "\n");
        int expected = i;
        await()
            .atMost(Duration.ofSeconds(5))
            .until(() -> config.snapshot().getInt("a") == expected);
      }
      // the source's own threads, plus at most one JDK poller thread for its live watch service
      // (the pipeline's threads come and go with HotConfig)
      assertThat(named(threads(), "hotconf-file-")).hasSize(2);
      assertThat(leftSince(before).stream().filter(n -> !n.startsWith("hotconf-")).toList())
          .hasSizeLessThanOrEqualTo(1);
    }
    await()
        .atMost(Duration.ofSeconds(2))
        .untilAsserted(() -> assertThat(leftSince(before)).isEmpty());
  }

  @Test
  void closeIsIdempotentAndWorksWithoutStart() throws Exception {
    FileSource never = FileSource.watching(dir.resolve("x.yaml"), quick());
    never.close();
    never.close();
    assertThatThrownBy(() -> never.start(new CountingSource(never).listenerForTest()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");

    Set<Thread> before = threads();
    FileSource source = FileSource.watching(dir.resolve("y.yaml"), quick());
    HotConfig config = Support.build(source);
    assertThatThrownBy(() -> source.start(new CountingSource(source).listenerForTest()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("already started");
    source.close();
    source.close();
    config.close();
    await()
        .atMost(Duration.ofSeconds(2))
        .untilAsserted(() -> assertThat(leftSince(before)).isEmpty());
  }
}
