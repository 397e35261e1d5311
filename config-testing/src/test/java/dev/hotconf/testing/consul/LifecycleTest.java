package dev.hotconf.testing.consul;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Start, addresses, and a close() that leaves nothing behind. */
@Timeout(30)
class LifecycleTest {

  @Test
  void bindsTheLoopbackAddressOnAnEphemeralPort() {
    try (ConsulTestServer server = new ConsulTestServer().start()) {
      assertThat(server.port()).isPositive();
      assertThat(server.host()).isEqualTo("127.0.0.1");
      assertThat(server.url()).isEqualTo("http://127.0.0.1:" + server.port());
      assertThat(server.address()).isEqualTo("127.0.0.1:" + server.port());
      assertThat(server.uri("v1/kv/a?raw").toString()).isEqualTo(server.url() + "/v1/kv/a?raw");
      assertThat(server.isRunning()).isTrue();
    }
  }

  @Test
  void storeCanBePopulatedBeforeStart() throws Exception {
    try (ConsulTestServer server = new ConsulTestServer()) {
      server.put("seed", "value");
      server.start();

      assertThat(new ConsulHttp(server).get("/v1/kv/seed?raw").body()).isEqualTo("value");
    }
  }

  @Test
  void misuseIsReportedClearly() {
    ConsulTestServer server = new ConsulTestServer();
    assertThatThrownBy(server::port).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(server::url).isInstanceOf(IllegalStateException.class);
    server.start();
    assertThatThrownBy(server::start).isInstanceOf(IllegalStateException.class);
    server.close();
    server.close(); // idempotent
    assertThat(server.isRunning()).isFalse();
    assertThatThrownBy(server::start).isInstanceOf(IllegalStateException.class);
    new ConsulTestServer().close(); // closing a never-started server is fine
  }

  @Test
  void closeReleasesABlockedQueryPromptly() throws Exception {
    ConsulTestServer server = new ConsulTestServer().start();
    long index = server.put("k", "v");
    CompletableFuture<HttpResponse<String>> pending =
        new ConsulHttp(server).getAsync("/v1/kv/k?index=" + index + "&wait=10m");
    await().atMost(Duration.ofSeconds(10)).until(() -> server.blockedQueryCount() == 1);

    long start = System.nanoTime();
    server.close();
    Duration closing = Duration.ofNanos(System.nanoTime() - start);

    assertThat(closing).isLessThan(Duration.ofSeconds(3));
    assertThatThrownBy(() -> pending.get(5, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(IOException.class);
    assertThat(server.blockedQueryCount()).isZero();
  }

  @Test
  void closeLeavesNoServerThreadAlive() throws Exception {
    ConsulTestServer server = new ConsulTestServer().start();
    String prefix = "consul-test-server-" + server.port() + "-";
    ConsulHttp http = new ConsulHttp(server);
    long index = server.put("k", "v");
    server.put("slow", "a body to trickle");
    http.get("/v1/kv/k");
    server.enqueue(Fault.slowBody(1, Duration.ofSeconds(10)).onPath("/v1/kv/slow"));
    server.enqueue(Fault.delay(Duration.ofMinutes(1)).onPath("/v1/kv/delayed"));
    CompletableFuture<?> blocked = http.getAsync("/v1/kv/k?index=" + index + "&wait=10m");
    CompletableFuture<?> slow = http.getAsync("/v1/kv/slow");
    CompletableFuture<?> delayed = http.getAsync("/v1/kv/delayed");
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> server.blockedQueryCount() == 1 && serverThreads(prefix).size() >= 3);

    server.close();

    assertThat(serverThreads(prefix)).isEmpty();
    CompletableFuture.allOf(blocked, slow, delayed).handle((r, e) -> null).get(5, TimeUnit.SECONDS);
    assertThat(blocked).isCompletedExceptionally();
    assertThat(slow).isCompletedExceptionally();
    assertThat(delayed).isCompletedExceptionally();
  }

  @Test
  void closedServerRefusesConnections() throws Exception {
    ConsulTestServer server = new ConsulTestServer().start();
    ConsulHttp http = new ConsulHttp(server, ConsulHttp.newClient());
    server.close();

    assertThatThrownBy(() -> http.get("/v1/kv/k")).isInstanceOf(ConnectException.class);
  }

  @Test
  void suspendTakesTheServerDownAndResumeBringsItBackOnTheSamePort() throws Exception {
    try (ConsulTestServer server = new ConsulTestServer().start()) {
      ConsulHttp http = new ConsulHttp(server, ConsulHttp.newClient());
      int port = server.port();
      long index = server.put("k", "v1");
      CompletableFuture<HttpResponse<String>> parked =
          http.getAsync("/v1/kv/k?index=" + index + "&wait=10m");
      await().atMost(Duration.ofSeconds(10)).until(() -> server.blockedQueryCount() == 1);

      server.suspend();

      assertThat(server.isSuspended()).isTrue();
      assertThat(server.isRunning()).isFalse();
      assertThatThrownBy(() -> parked.get(5, TimeUnit.SECONDS))
          .as("a request in progress ends without an answer")
          .hasCauseInstanceOf(IOException.class);
      assertThat(server.blockedQueryCount()).isZero();
      assertThatThrownBy(() -> http.get("/v1/kv/k")).isInstanceOf(ConnectException.class);
      long during = server.put("k", "v2"); // a change made while it is down

      server.resume();

      assertThat(server.port()).isEqualTo(port);
      assertThat(server.isRunning()).isTrue();
      HttpResponse<String> after = http.get("/v1/kv/k?index=" + index + "&wait=10m");
      assertThat(after.statusCode()).isEqualTo(200);
      assertThat(after.headers().firstValue("X-Consul-Index")).hasValue(Long.toString(during));
      // the aborted query is recorded by its own thread, possibly after the new one
      await().atMost(Duration.ofSeconds(5)).until(() -> server.requestCount() == 2);
      assertThat(server.requests())
          .extracting(RecordedRequest::status)
          .containsExactlyInAnyOrder(RecordedRequest.NO_RESPONSE, 200);
    }
  }

  @Test
  void suspendAndResumeAreCheckedAndCloseWorksWhileSuspended() {
    ConsulTestServer server = new ConsulTestServer();
    assertThatThrownBy(server::suspend).isInstanceOf(IllegalStateException.class);
    server.start();
    String prefix = "consul-test-server-" + server.port() + "-";
    assertThatThrownBy(server::resume).isInstanceOf(IllegalStateException.class);
    server.suspend();
    assertThatThrownBy(server::suspend).isInstanceOf(IllegalStateException.class);

    server.close();

    assertThat(server.isSuspended()).isFalse();
    assertThatThrownBy(server::resume).isInstanceOf(IllegalStateException.class);
    assertThat(serverThreads(prefix)).isEmpty();
  }

  @Test
  void resetEmptiesTheStoreFaultsAndLogButKeepsTheIndexMoving() throws Exception {
    try (ConsulTestServer server = ConsulTestServer.builder().aclToken("t").build().start()) {
      server.put("k", "v");
      server.disableAcl();
      server.enqueue(Fault.noClusterLeader().untilCleared());
      new ConsulHttp(server).get("/v1/kv/k");
      long index = server.index();

      server.reset();

      assertThat(server.get("k")).isEmpty();
      assertThat(server.queuedFaultCount()).isZero();
      assertThat(server.requestCount()).isZero();
      assertThat(server.index()).isGreaterThan(index);
      assertThat(new ConsulHttp(server).get("/v1/kv/k").body())
          .as("ACL back on")
          .isEqualTo("Permission denied");
    }
  }

  private static List<String> serverThreads(String prefix) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive)
        .map(Thread::getName)
        .filter(name -> name.startsWith(prefix))
        .collect(Collectors.toList());
  }
}
