package dev.hotconf.consul;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hotconf.testing.consul.ConsulTestServer;
import dev.hotconf.testing.consul.ConsulTestServerExtension;
import dev.hotconf.testing.consul.RecordedRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * How people edit Consul, at the default settings (issue 13): an operator's edits a second or more
 * apart are each read by a query already parked, and a script's burst of writes costs about one
 * read a second and ends with the newest value live. These tests assert behaviour (parked queries,
 * reads counted, the newest value delivered) with generous time bounds; the latencies (p50/p99 per
 * edit, the last write's delay) are measured by {@code ConsulEditPatterns} in the benchmarks
 * module.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ConsulSourceDefaultsTest {
  private static final String KEY = "config/app/data";

  @RegisterExtension final ConsulTestServerExtension consul = new ConsulTestServerExtension();

  private ConsulSource source;
  private ScheduledExecutorService writer;

  @AfterEach
  void close() {
    if (writer != null) {
      writer.shutdownNow();
    }
    if (source != null) {
      source.close();
    }
  }

  private RecordingListener startWithDefaults(ConsulTestServer server) {
    source = ConsulSource.create(ConsulSourceConfig.key(KEY).address(server.url()).build());
    RecordingListener listener = new RecordingListener();
    source.start(listener);
    return listener;
  }

  /**
   * 15 edits 1.5 s apart: after each one the source is parked again at once and stays parked until
   * the next, so every edit is answered by a blocking query that was already waiting. With the
   * earlier defaults (burst 2, one read per 15 s) the source waited ~12 s for a token after the
   * second edit, and every edit from the third on waited with it.
   */
  @Test
  void editsASecondAndAHalfApartAreEachReadByAParkedQuery() {
    ConsulTestServer server = consul.server();
    server.put(KEY, "n: 0");
    RecordingListener listener = startWithDefaults(server);
    await().atMost(Duration.ofSeconds(10)).until(() -> listener.contents().size() == 1);

    for (int n = 1; n <= 15; n++) {
      // the gap between two edits, watched: the source must be parked all through it
      await()
          .during(Duration.ofMillis(1500))
          .atMost(Duration.ofSeconds(10))
          .until(() -> server.blockedQueryCount() == 1);
      server.put(KEY, "n: " + n);
      int expected = n;
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> Map.of("n", (long) expected).equals(listener.lastContent()));
    }

    List<RecordedRequest> requests = server.requests();
    assertThat(requests).as("the first read, then one blocking query per edit").hasSize(16);
    for (RecordedRequest blocking : requests.subList(1, 16)) {
      assertThat(blocking.index()).isPresent();
      assertThat(blocking.queryParameter("wait")).hasValue("60s");
      assertThat(blocking.duration())
          .as("parked until the edit")
          .isGreaterThan(Duration.ofSeconds(1));
    }
    assertThat(listener.contents()).hasSize(16);
    assertThat(listener.failures()).isEmpty();
  }

  /**
   * 25 writes at 10 a second: the burst (3) reads the first writes at once, then one read per
   * second coalesces the rest, and the newest value goes live soon after the writes stop (about a
   * second; measured in the benchmarks). With the earlier defaults the newest value waited for a
   * token 15 s after the second read.
   */
  @Test
  void aBurstOfWritesCostsAboutOneReadASecondAndEndsWithTheNewestValueLive() {
    ConsulTestServer server = consul.server();
    server.put(KEY, "n: 0");
    RecordingListener listener = startWithDefaults(server);
    await().atMost(Duration.ofSeconds(10)).until(() -> listener.contents().size() == 1);
    // a full bucket: the source parked for longer than 3 refills
    await()
        .during(Duration.ofSeconds(3))
        .atMost(Duration.ofSeconds(15))
        .until(() -> server.blockedQueryCount() == 1);
    int before = server.requestCount();

    AtomicInteger written = new AtomicInteger();
    AtomicReference<Instant> firstWrite = new AtomicReference<>();
    writer = Executors.newSingleThreadScheduledExecutor();
    writer.scheduleAtFixedRate(
        () -> {
          int n = written.incrementAndGet();
          if (n <= 25) {
            firstWrite.compareAndSet(null, Instant.now());
            server.put(KEY, "n: " + n);
          }
        },
        0,
        100,
        TimeUnit.MILLISECONDS);
    await().atMost(Duration.ofSeconds(20)).until(() -> written.get() >= 25);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> Map.of("n", 25L).equals(listener.lastContent()));
    Instant newestLive = Instant.now();
    // the source goes back to waiting for the next change
    await().atMost(Duration.ofSeconds(10)).until(() -> server.blockedQueryCount() == 1);

    // the query parked before the writes, the burst, then one per second (each read takes a
    // token when it starts; a slow machine only stretches the window, never adds reads)
    int reads = server.requestCount() - before;
    long windowSeconds =
        (long) Math.ceil(Duration.between(firstWrite.get(), newestLive).toMillis() / 1000.0);
    assertThat(reads)
        .as(
            "reads while 25 writes went by in %d s: about one a second, not one per write",
            windowSeconds)
        .isBetween(2, (int) (1 + 3 + windowSeconds + 1));
    assertThat(listener.contents().size() - 1).as("versions delivered").isBetween(2, reads);
    assertThat(listener.failures()).isEmpty();
  }
}
