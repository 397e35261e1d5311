package dev.hotconf.consul;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hotconf.testing.consul.ConsulTestServer;
import dev.hotconf.testing.consul.ConsulTestServerExtension;
import dev.hotconf.testing.consul.Fault;
import dev.hotconf.testing.consul.RecordedRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Consul's index rules, the 404 index and the rate limiter, observed through the server's request
 * log.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ConsulSourceIndexTest {
  private static final String KEY = "config/app/data";

  @RegisterExtension final ConsulTestServerExtension consul = new ConsulTestServerExtension();

  private final List<ConsulSource> sources = new ArrayList<>();

  @AfterEach
  void closeSources() {
    sources.forEach(ConsulSource::close);
  }

  private RecordingListener start(ConsulSourceConfig config) {
    ConsulSource source = ConsulSource.create(config);
    sources.add(source);
    RecordingListener listener = new RecordingListener();
    source.start(listener);
    return listener;
  }

  /** Faulted requests received from {@code first} to {@code window} after it. */
  private static long faultedWithin(
      ConsulTestServer server, RecordedRequest first, Duration window) {
    return server.requests().stream()
        .filter(r -> r.fault().isPresent())
        .filter(r -> !r.receivedAt().isAfter(first.receivedAt().plus(window)))
        .count();
  }

  private static long indexOf(RecordedRequest r) {
    return r.index().orElse(0);
  }

  /** The requests after the one that met a fault, in order. */
  private static List<RecordedRequest> after(List<RecordedRequest> all, RecordedRequest faulted) {
    int i = all.indexOf(faulted);
    return all.subList(i + 1, all.size());
  }

  @Test
  void indexGoingBackwardsRestartsTheLoopAtZero() {
    ConsulTestServer server = consul.server();
    server.put(KEY, "a: 1");
    RecordingListener listener = start(TestConfigs.key(server, KEY).build());
    await().atMost(Duration.ofSeconds(5)).until(() -> listener.contents().size() == 1);
    // faults are taken when a request arrives: let the client park its blocking query first, so the
    // fault goes to the query after the change, not to this one (a race on a loaded machine)
    await().atMost(Duration.ofSeconds(5)).until(() -> server.blockedQueryCount() == 1);

    server.enqueue(Fault.indexBackwards());
    long current = server.put(KEY, "a: 2");
    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () ->
                server.requests().stream().filter(r -> r.fault().isPresent()).count() == 1
                    && server.requests().stream().filter(r -> indexOf(r) == current).count() >= 2);

    List<RecordedRequest> all = server.requests();
    RecordedRequest faulted =
        all.stream().filter(r -> r.fault().isPresent()).findFirst().orElseThrow();
    assertThat(indexOf(faulted)).isEqualTo(current);
    List<RecordedRequest> next = after(all, faulted);
    assertThat(indexOf(next.get(0))).as("after the index went backwards").isZero();
    assertThat(next.get(0).hasQueryParameter("wait")).isFalse();
    assertThat(indexOf(next.get(1))).as("then blocks on the real index again").isEqualTo(current);
    // the same content came back three times: published once
    assertThat(listener.contents()).hasSize(2);
  }

  @Test
  void indexZeroFromConsulIsNeverBlockedOn() {
    ConsulTestServer server = consul.server();
    server.put(KEY, "a: 1");
    long current = server.index();
    server.enqueue(Fault.indexZero()); // the very first answer says X-Consul-Index: 0
    RecordingListener listener = start(TestConfigs.key(server, KEY).build());
    await().atMost(Duration.ofSeconds(5)).until(() -> server.requestCount() >= 3);

    List<RecordedRequest> all = server.requests();
    assertThat(indexOf(all.get(0))).isZero();
    assertThat(indexOf(all.get(1))).as("index 0 became 1, never 0 with a wait").isEqualTo(1);
    assertThat(all.get(1).queryParameter("wait")).contains("1s");
    assertThat(indexOf(all.get(2))).isEqualTo(current);
    assertThat(listener.contents()).hasSize(1);
  }

  @Test
  void indexZeroAfterARealIndexCountsAsGoingBackwards() {
    ConsulTestServer server = consul.server();
    server.put(KEY, "a: 1");
    RecordingListener listener = start(TestConfigs.key(server, KEY).build());
    await().atMost(Duration.ofSeconds(5)).until(() -> listener.contents().size() == 1);
    await().atMost(Duration.ofSeconds(5)).until(() -> server.blockedQueryCount() == 1); // see above

    server.enqueue(Fault.indexZero());
    long current = server.put(KEY, "a: 2");
    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () ->
                server.requests().stream().filter(r -> r.fault().isPresent()).count() == 1
                    && server.requests().stream().filter(r -> indexOf(r) == current).count() >= 2);
    List<RecordedRequest> all = server.requests();
    RecordedRequest faulted =
        all.stream().filter(r -> r.fault().isPresent()).findFirst().orElseThrow();
    List<RecordedRequest> next = after(all, faulted);
    assertThat(indexOf(next.get(0))).isZero();
    assertThat(indexOf(next.get(1))).isEqualTo(current);
    for (RecordedRequest r : all) {
      if (r.hasQueryParameter("wait")) {
        assertThat(indexOf(r))
            .as("never a blocking query below index 1: %s", r)
            .isGreaterThanOrEqualTo(1);
      }
    }
  }

  /**
   * A missing key is no hot loop: Consul's 404 carries X-Consul-Index, and the loop blocks on it,
   * so each read lasts the wait (1 s here); in a 3 s window at most 3 + 1 reads.
   */
  @Test
  void missingKeyBlocksOnTheIndexOfThe404() {
    ConsulTestServer server = consul.server();
    server.put("config/other", "x");
    RecordingListener listener = start(TestConfigs.key(server, KEY).build());
    await().atMost(Duration.ofSeconds(5)).until(() -> listener.missing().size() == 1);
    int before = server.requestCount();
    Duration window = Duration.ofSeconds(3);
    int bound = (int) (window.toSeconds() / TestConfigs.WAIT.toSeconds()) + 1;
    // for the whole window the loop stays parked on the 404's index: one read per wait at most,
    // and the missing key is not reported again
    await()
        .during(window)
        .atMost(window.plusSeconds(2))
        .until(() -> server.requestCount() - before <= bound && listener.events().size() == 1);

    int reads = server.requestCount() - before;
    assertThat(reads).isBetween(1, bound);
    List<RecordedRequest> all = server.requests();
    for (RecordedRequest r : all.subList(1, all.size())) {
      assertThat(r.status()).isEqualTo(404);
      assertThat(indexOf(r)).isGreaterThanOrEqualTo(1);
      assertThat(r.blockingTimeout()).isPresent();
    }
    assertThat(listener.events()).hasSize(1); // reported once
  }

  /**
   * The token bucket bounds a loop whose every answer comes back at once (here an index stuck at 0,
   * a known Consul bug): burst 2 plus one read per refill (200 ms), so at most 2 + 1000/200 + 1
   * reads in one second instead of hundreds.
   */
  @Test
  void rateLimiterBoundsALoopThatNeverBlocks() {
    ConsulTestServer server = consul.server();
    server.put(KEY, "a: 1");
    Duration refill = Duration.ofMillis(200);
    RecordingListener listener = start(TestConfigs.key(server, KEY).rateLimit(2, refill).build());
    await().atMost(Duration.ofSeconds(5)).until(() -> listener.contents().size() == 1);
    // let the bucket fill up again (the worst case starts with a full burst): parked meanwhile
    await()
        .during(refill.multipliedBy(3))
        .atMost(Duration.ofSeconds(5))
        .until(() -> server.blockedQueryCount() == 1);

    server.enqueue(Fault.indexZero().untilCleared());
    server.put(KEY, "a: 2");
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> server.requests().stream().anyMatch(r -> r.fault().isPresent()));
    RecordedRequest first =
        server.requests().stream().filter(r -> r.fault().isPresent()).findFirst().orElseThrow();
    Duration window = Duration.ofSeconds(1);
    long bound = 2 + window.toMillis() / refill.toMillis() + 1;
    // for a whole window after the first faulted read, the limiter holds the loop to its bound
    await()
        .during(window)
        .atMost(window.plusSeconds(1))
        .until(() -> faultedWithin(server, first, window) <= bound);
    server.clearFaults();

    assertThat(faultedWithin(server, first, window)).isBetween(3L, bound);
    assertThat(listener.contents()).hasSize(2);
    assertThat(listener.failures()).isEmpty();
  }
}
