package dev.hotconf.testing.consul;

import static dev.hotconf.testing.consul.ConsulHttp.index;
import static dev.hotconf.testing.consul.ConsulHttp.json;
import static dev.hotconf.testing.consul.ConsulHttp.value;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Blocking queries: what wakes them, what does not, and how long they may wait. */
@Timeout(60)
class BlockingQueryTest {

  @RegisterExtension
  final ConsulTestServerExtension consul =
      new ConsulTestServerExtension(ConsulTestServer.builder().jitter(false));

  private ConsulTestServer server;
  private ConsulHttp http;

  @BeforeEach
  void setUp() {
    server = consul.server();
    http = new ConsulHttp(server);
  }

  private void awaitBlocked(int n) {
    await().atMost(Duration.ofSeconds(10)).until(() -> server.blockedQueryCount() == n);
  }

  @Test
  void blockingQueryWakesWhenItsKeyChanges() throws Exception {
    long index = server.put("config/a", "v1");
    CompletableFuture<HttpResponse<String>> pending =
        http.getAsync("/v1/kv/config/a?index=" + index + "&wait=30s");
    awaitBlocked(1);
    assertThat(pending).isNotDone();

    long changed = server.put("config/a", "v2");

    HttpResponse<String> response = pending.get(10, TimeUnit.SECONDS);
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(index(response)).isEqualTo(changed).isGreaterThan(index);
    assertThat(value(json(response).get(0))).isEqualTo("v2");
  }

  @Test
  void blockingQueryDoesNotWakeOnAChangeToAnotherKey() throws Exception {
    long index = server.put("config/a", "v1");
    server.put("config/b", "v1");
    long start = System.nanoTime();
    CompletableFuture<HttpResponse<String>> pending =
        http.getAsync("/v1/kv/config/a?index=" + index + "&wait=2s");
    awaitBlocked(1);

    server.put("config/b", "v2");
    server.delete("config/b");

    HttpResponse<String> response = pending.get(10, TimeUnit.SECONDS);
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .isGreaterThanOrEqualTo(Duration.ofSeconds(2));
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(index(response)).as("a timed-out query returns the same index").isEqualTo(index);
    assertThat(value(json(response).get(0))).isEqualTo("v1");
  }

  @Test
  void identicalRewriteDoesNotWakeTheWatcher() throws Exception {
    long index = server.put("k", "same");
    CompletableFuture<HttpResponse<String>> pending =
        http.getAsync("/v1/kv/k?index=" + index + "&wait=1s");
    awaitBlocked(1);

    http.put("/v1/kv/k", "same");

    HttpResponse<String> response = pending.get(10, TimeUnit.SECONDS);
    assertThat(index(response)).isEqualTo(index);
    RecordedRequest watch =
        server.requests().stream().filter(r -> r.method().equals("GET")).findFirst().orElseThrow();
    assertThat(watch.duration()).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void blockingQueryOnAMissingKeyWakesWhenItIsCreated() throws Exception {
    long index = index(http.get("/v1/kv/later"));
    CompletableFuture<HttpResponse<String>> pending =
        http.getAsync("/v1/kv/later?index=" + index + "&wait=30s");
    awaitBlocked(1);

    server.put("later", "here");

    HttpResponse<String> response = pending.get(10, TimeUnit.SECONDS);
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(index(response)).isGreaterThan(index);
  }

  @Test
  void blockingQueryWakesWith404WhenItsKeyIsDeleted() throws Exception {
    long index = server.put("k", "v");
    CompletableFuture<HttpResponse<String>> pending =
        http.getAsync("/v1/kv/k?index=" + index + "&wait=30s");
    awaitBlocked(1);

    server.delete("k");

    HttpResponse<String> response = pending.get(10, TimeUnit.SECONDS);
    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(index(response)).isEqualTo(server.index()).isGreaterThan(index);
  }

  @Test
  void prefixQueryWakesOnlyForChangesUnderItsPrefix() throws Exception {
    server.put("app/a", "1");
    long index = index(http.get("/v1/kv/app/?recurse"));
    CompletableFuture<HttpResponse<String>> pending =
        http.getAsync("/v1/kv/app/?recurse&index=" + index + "&wait=30s");
    awaitBlocked(1);

    server.put("apple", "outside the prefix app/");
    await()
        .during(Duration.ofMillis(300))
        .atMost(Duration.ofSeconds(5))
        .until(() -> !pending.isDone() && server.blockedQueryCount() == 1);

    server.delete("app/a");

    HttpResponse<String> response = pending.get(10, TimeUnit.SECONDS);
    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(index(response)).isEqualTo(server.index()).isGreaterThan(index);
  }

  @Test
  void keysQueryBlocksLikeARecurseQuery() throws Exception {
    server.put("app/a", "1");
    long index = index(http.get("/v1/kv/app/?keys"));
    CompletableFuture<HttpResponse<String>> pending =
        http.getAsync("/v1/kv/app/?keys&index=" + index + "&wait=30s");
    awaitBlocked(1);

    server.put("app/b", "2");

    HttpResponse<String> response = pending.get(10, TimeUnit.SECONDS);
    assertThat(json(response).toString()).isEqualTo("[\"app/a\",\"app/b\"]");
  }

  @Test
  void staleClientIndexReturnsAtOnce() throws Exception {
    long old = server.put("k", "1");
    server.put("k", "2");

    HttpResponse<String> response = http.get("/v1/kv/k?index=" + old + "&wait=30s");

    assertThat(index(response)).isGreaterThan(old);
    assertThat(server.takeRequest().duration()).isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void indexZeroOrAbsentDoesNotBlock() throws Exception {
    server.put("k", "v");

    http.get("/v1/kv/k?index=0&wait=30s");
    http.get("/v1/kv/k?wait=30s");

    RecordedRequest zero = server.takeRequest();
    RecordedRequest absent = server.takeRequest();
    assertThat(zero.blockingTimeout()).isEmpty();
    assertThat(absent.blockingTimeout()).isEmpty();
    assertThat(zero.duration()).isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void waitIsCappedAtTenMinutes() throws Exception {
    long index = server.put("k", "v");
    CompletableFuture<HttpResponse<String>> pending =
        http.getAsync("/v1/kv/k?index=" + index + "&wait=1h");
    awaitBlocked(1);
    server.put("k", "release");
    pending.get(10, TimeUnit.SECONDS);

    assertThat(server.takeRequest().blockingTimeout()).hasValue(Duration.ofMinutes(10));
  }

  @Test
  void defaultWaitIsFiveMinutes() throws Exception {
    long index = server.put("k", "v");
    CompletableFuture<HttpResponse<String>> pending = http.getAsync("/v1/kv/k?index=" + index);
    awaitBlocked(1);
    server.put("k", "release");
    pending.get(10, TimeUnit.SECONDS);

    assertThat(server.takeRequest().blockingTimeout()).hasValue(Duration.ofMinutes(5));
  }

  @Test
  void waitAcceptsGoDurationUnits() throws Exception {
    server.put("k", "v1");
    server.put("k", "v2"); // index=1 is now stale, so these blocking queries answer at once

    String[] waits = {"250ms", "3s", "2m", "1h", "1m30s", "1.5s"};
    Duration[] expected = {
      Duration.ofMillis(250),
      Duration.ofSeconds(3),
      Duration.ofMinutes(2),
      Duration.ofMinutes(10),
      Duration.ofSeconds(90),
      Duration.ofMillis(1500)
    };
    for (String wait : waits) {
      assertThat(http.get("/v1/kv/k?index=1&wait=" + wait).statusCode()).isEqualTo(200);
    }
    for (int i = 0; i < waits.length; i++) {
      assertThat(server.takeRequest().blockingTimeout()).as(waits[i]).hasValue(expected[i]);
    }
  }

  @Test
  void expiredWaitReturnsAfterTheWaitAndNotMuchLater() throws Exception {
    long index = server.put("k", "v");
    long start = System.nanoTime();

    HttpResponse<String> response = http.get("/v1/kv/k?index=" + index + "&wait=500ms");

    Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
    assertThat(index(response)).isEqualTo(index);
    assertThat(elapsed)
        .isGreaterThanOrEqualTo(Duration.ofMillis(500))
        .isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void jitterAddsLessThanOneSixteenthOfTheWait() throws Exception {
    try (ConsulTestServer jittery = new ConsulTestServer().start()) {
      ConsulHttp client = new ConsulHttp(jittery);
      jittery.put("k", "v1");
      jittery.put("k", "v2");
      for (int i = 0; i < 20; i++) {
        client.get("/v1/kv/k?index=1&wait=16s");
      }

      Set<Duration> timeouts = new HashSet<>();
      for (RecordedRequest r : jittery.requests()) {
        Duration timeout = r.blockingTimeout().orElseThrow();
        assertThat(timeout)
            .isGreaterThanOrEqualTo(Duration.ofSeconds(16))
            .isLessThan(Duration.ofSeconds(17));
        timeouts.add(timeout);
      }
      assertThat(timeouts).as("jitter is random").hasSizeGreaterThan(1);
    }
  }

  @Test
  void seededJitterIsReproducible() throws Exception {
    ConsulTestServer.Builder seeded = ConsulTestServer.builder().randomSeed(42);
    Duration first;
    Duration second;
    try (ConsulTestServer a = seeded.build().start();
        ConsulTestServer b = seeded.build().start()) {
      a.put("k", "1");
      a.put("k", "2");
      b.put("k", "1");
      b.put("k", "2");
      new ConsulHttp(a).get("/v1/kv/k?index=1&wait=1m");
      new ConsulHttp(b).get("/v1/kv/k?index=1&wait=1m");
      first = a.takeRequest().blockingTimeout().orElseThrow();
      second = b.takeRequest().blockingTimeout().orElseThrow();
    }
    Duration wait = Duration.ofMinutes(1);
    assertThat(first).isEqualTo(second).isBetween(wait, wait.plus(wait.dividedBy(16)));
  }

  @Test
  void configuredMaxWaitBoundsTheActualWait() throws Exception {
    try (ConsulTestServer quick =
        ConsulTestServer.builder().jitter(false).maxWait(Duration.ofMillis(300)).build().start()) {
      long index = quick.put("k", "v");
      long start = System.nanoTime();

      HttpResponse<String> response =
          new ConsulHttp(quick).get("/v1/kv/k?index=" + index + "&wait=10m");

      assertThat(index(response)).isEqualTo(index);
      assertThat(Duration.ofNanos(System.nanoTime() - start))
          .isGreaterThanOrEqualTo(Duration.ofMillis(300))
          .isLessThan(Duration.ofSeconds(5));
      assertThat(quick.takeRequest().blockingTimeout()).hasValue(Duration.ofMillis(300));
    }
  }

  @Test
  void manyBlockedQueriesDoNotStarveOtherRequests() throws Exception {
    long index = server.put("k", "v");
    CompletableFuture<?>[] pending = new CompletableFuture<?>[20];
    for (int i = 0; i < pending.length; i++) {
      pending[i] = http.getAsync("/v1/kv/k?index=" + index + "&wait=30s");
    }
    awaitBlocked(pending.length);

    assertThat(http.get("/v1/kv/k").statusCode()).isEqualTo(200);
    assertThat(http.put("/v1/kv/k", "new").body()).isEqualTo("true");

    CompletableFuture.allOf(pending).get(10, TimeUnit.SECONDS);
    assertThat(server.blockedQueryCount()).isZero();
  }
}
