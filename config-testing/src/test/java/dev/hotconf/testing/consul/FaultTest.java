package dev.hotconf.testing.consul;

import static dev.hotconf.testing.consul.ConsulHttp.index;
import static dev.hotconf.testing.consul.ConsulHttp.json;
import static dev.hotconf.testing.consul.ConsulHttp.value;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Every fault, observed the way an HTTP client sees it. */
@Timeout(30)
class FaultTest {

  @RegisterExtension
  final ConsulTestServerExtension consul =
      new ConsulTestServerExtension(ConsulTestServer.builder().jitter(false));

  private ConsulTestServer server;
  private ConsulHttp http;
  private long keyIndex;

  @BeforeEach
  void setUp() {
    server = consul.server();
    http = new ConsulHttp(server);
    keyIndex = server.put("config/a", "value");
  }

  @Test
  void statusFaultsAnswerWithConsulErrorTextsThenServiceResumes() throws Exception {
    server.enqueue(Fault.noClusterLeader());
    server.enqueue(Fault.tooManyRequests());
    server.enqueue(Fault.serviceUnavailable());
    server.enqueue(Fault.permissionDenied());
    server.enqueue(Fault.aclNotFound());
    server.enqueue(Fault.status(502, "Bad Gateway"));

    List<Integer> statuses = new ArrayList<>();
    List<String> bodies = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      HttpResponse<String> r = http.get("/v1/kv/config/a");
      statuses.add(r.statusCode());
      bodies.add(r.body());
      assertThat(r.headers().firstValue("X-Consul-Index")).isEmpty();
    }

    assertThat(statuses).containsExactly(500, 429, 503, 403, 403, 502);
    assertThat(bodies)
        .containsExactly(
            "No cluster leader",
            "Too many requests",
            "Service unavailable",
            "Permission denied",
            "ACL not found",
            "Bad Gateway");
    assertThat(http.get("/v1/kv/config/a").statusCode()).isEqualTo(200);
    assertThat(server.queuedFaultCount()).isZero();
  }

  @Test
  void statusFaultAnswersABlockingQueryAtOnce() throws Exception {
    server.enqueue(Fault.noClusterLeader());

    HttpResponse<String> r = http.get("/v1/kv/config/a?index=" + keyIndex + "&wait=5m");

    assertThat(r.statusCode()).isEqualTo(500);
    assertThat(server.takeRequest().duration()).isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void faultAppliesNTimesThenStops() throws Exception {
    server.enqueue(Fault.noClusterLeader().times(3));

    for (int i = 0; i < 3; i++) {
      assertThat(http.get("/v1/kv/config/a").statusCode()).isEqualTo(500);
    }
    assertThat(http.get("/v1/kv/config/a").statusCode()).isEqualTo(200);
  }

  @Test
  void untilClearedFaultPersistsUntilClearFaults() throws Exception {
    server.enqueue(Fault.tooManyRequests().untilCleared());
    server.enqueue(Fault.noClusterLeader());

    for (int i = 0; i < 5; i++) {
      assertThat(http.get("/v1/kv/config/a").statusCode()).isEqualTo(429);
    }
    server.clearFaults();

    assertThat(http.get("/v1/kv/config/a").statusCode()).isEqualTo(200);
  }

  @Test
  void faultsAreConsumedInOrderByMatchingRequestsOnly() throws Exception {
    server.enqueue(Fault.serviceUnavailable().onPath("/v1/kv/config/b"));
    server.enqueue(Fault.noClusterLeader().onMethod("put"));
    server.enqueue(Fault.tooManyRequests());

    assertThat(http.get("/v1/kv/config/a").statusCode())
        .as("skips the path- and method-filtered faults")
        .isEqualTo(429);
    assertThat(http.get("/v1/kv/config/a").statusCode()).isEqualTo(200);
    assertThat(http.put("/v1/kv/config/a", "x").statusCode()).isEqualTo(500);
    assertThat(http.get("/v1/kv/config/b").statusCode()).isEqualTo(503);
    assertThat(server.queuedFaultCount()).isZero();
  }

  @Test
  void connectionResetIsAnIOExceptionForTheClient() throws Exception {
    server.enqueue(Fault.connectionReset());

    assertThatThrownBy(() -> http.put("/v1/kv/config/a", "x")).isInstanceOf(IOException.class);

    RecordedRequest reset = server.takeRequest();
    assertThat(reset.status()).isEqualTo(RecordedRequest.NO_RESPONSE);
    assertThat(reset.fault()).isPresent();
    assertThat(server.get("config/a").orElseThrow().valueAsString()).isEqualTo("value");
  }

  @Test
  void connectionResetOfAGetNeedsTwoUsesToDefeatJavaNetHttpsSingleRetry() throws Exception {
    HttpClient fresh = ConsulHttp.newClient();
    ConsulHttp client = new ConsulHttp(server, fresh);
    server.enqueue(Fault.connectionReset());

    assertThat(client.get("/v1/kv/config/a").statusCode())
        .as("one reset is retried away")
        .isEqualTo(200);
    await().atMost(Duration.ofSeconds(5)).until(() -> server.requestCount() == 2);
    assertThat(server.requests())
        .extracting(RecordedRequest::status)
        .containsExactlyInAnyOrder(RecordedRequest.NO_RESPONSE, 200);

    server.enqueue(Fault.connectionReset().times(2));
    assertThatThrownBy(() -> client.get("/v1/kv/config/a")).isInstanceOf(IOException.class);
  }

  @Test
  void hangHoldsTheRequestWithoutAnswerUntilTheFaultIsCleared() throws Exception {
    server.enqueue(Fault.hang().untilCleared());
    CompletableFuture<HttpResponse<String>> pending =
        http.getAsync("/v1/kv/config/a?index=" + keyIndex + "&wait=1s");
    await().atMost(Duration.ofSeconds(5)).until(() -> server.hangingRequestCount() == 1);

    // past the 1 s wait and its jitter: a blocking query would have answered by now
    await()
        .during(Duration.ofMillis(1500))
        .atMost(Duration.ofSeconds(5))
        .until(() -> !pending.isDone() && server.hangingRequestCount() == 1);
    assertThat(server.requestCount()).as("not answered, so not recorded yet").isZero();

    server.clearFaults();
    await().atMost(Duration.ofSeconds(5)).until(pending::isDone);
    assertThat(server.hangingRequestCount()).isZero();
    RecordedRequest hung = server.takeRequest();
    assertThat(hung.status()).isEqualTo(RecordedRequest.NO_RESPONSE);
    assertThat(hung.fault().map(Fault::toString))
        .hasValueSatisfying(f -> f.startsWith("Fault[hang"));
    assertThat(http.get("/v1/kv/config/a").statusCode()).isEqualTo(200);
  }

  @Test
  void aClientThatGivesUpOnAHungRequestIsNotNoticedByTheServer() throws Exception {
    server.enqueue(Fault.hang());
    try (Socket client = new Socket(server.host(), server.port())) {
      client
          .getOutputStream()
          .write(
              ("GET /v1/kv/config/a HTTP/1.1\r\nHost: " + server.address() + "\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
      client.getOutputStream().flush();
      await().atMost(Duration.ofSeconds(5)).until(() -> server.hangingRequestCount() == 1);
    } // the client gives up: its end of the connection closes

    await()
        .during(Duration.ofMillis(500))
        .atMost(Duration.ofSeconds(5))
        .until(
            () -> server.hangingRequestCount() == 1); // held until cleared, like a half-dead node
    assertThat(server.queuedFaultCount()).as("consumed once").isZero();
    assertThat(http.get("/v1/kv/config/a").statusCode()).isEqualTo(200);

    server.clearFaults();
    assertThat(server.hangingRequestCount()).isZero();
  }

  @Test
  void closeAndSuspendReleaseHungRequests() throws Exception {
    server.enqueue(Fault.hang().untilCleared());
    CompletableFuture<HttpResponse<String>> first = http.getAsync("/v1/kv/config/a");
    await().atMost(Duration.ofSeconds(5)).until(() -> server.hangingRequestCount() == 1);

    server.suspend();

    assertThat(server.hangingRequestCount()).isZero();
    assertThatThrownBy(() -> first.get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(IOException.class);
    server.resume();
    CompletableFuture<HttpResponse<String>> second = http.getAsync("/v1/kv/config/a");
    await().atMost(Duration.ofSeconds(5)).until(() -> server.hangingRequestCount() == 1);

    server.close();

    assertThat(server.hangingRequestCount()).isZero();
    assertThatThrownBy(() -> second.get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(IOException.class);
  }

  @Test
  void delayFaultDelaysTheAnswer() throws Exception {
    server.enqueue(Fault.delay(Duration.ofMillis(400)));
    long start = System.nanoTime();

    HttpResponse<String> r = http.get("/v1/kv/config/a");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .isGreaterThanOrEqualTo(Duration.ofMillis(400));
  }

  @Test
  void delayedStatusFaultWaitsThenFails() throws Exception {
    server.enqueue(Fault.noClusterLeader().delayed(Duration.ofMillis(300)));
    long start = System.nanoTime();

    assertThat(http.get("/v1/kv/config/a").statusCode()).isEqualTo(500);
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .isGreaterThanOrEqualTo(Duration.ofMillis(300));
  }

  @Test
  void indexBackwardsAnswersABlockingQueryAtOnceWithALowerIndex() throws Exception {
    server.put("other", "1");
    long current = server.put("config/a", "v2");
    server.enqueue(Fault.indexBackwards());

    HttpResponse<String> r = http.get("/v1/kv/config/a?index=" + current + "&wait=5m");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(index(r)).isLessThan(current).isPositive();
    assertThat(value(json(r).get(0))).isEqualTo("v2");
    assertThat(server.takeRequest().duration()).isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void indexZeroFaultPutsZeroInTheHeader() throws Exception {
    server.enqueue(Fault.indexZero());

    HttpResponse<String> r = http.get("/v1/kv/config/a?index=" + keyIndex + "&wait=5m");

    assertThat(r.headers().firstValue("X-Consul-Index")).hasValue("0");
    assertThat(r.statusCode()).isEqualTo(200);
  }

  @Test
  void fixedIndexFaultAnswersWithThatIndex() throws Exception {
    server.enqueue(Fault.index(7));

    assertThat(index(http.get("/v1/kv/config/?recurse"))).isEqualTo(7);
  }

  @Test
  void unknownLeaderFaultSetsKnownLeaderFalse() throws Exception {
    server.enqueue(Fault.unknownLeader());

    HttpResponse<String> r = http.get("/v1/kv/config/a");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("X-Consul-KnownLeader")).hasValue("false");
    assertThat(http.get("/v1/kv/config/a").headers().firstValue("X-Consul-KnownLeader"))
        .hasValue("true");
  }

  @Test
  void garbageBodyIs200WithIndexButNotJson() throws Exception {
    server.enqueue(Fault.garbageBody());

    HttpResponse<String> r = http.get("/v1/kv/config/a");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(index(r)).isEqualTo(keyIndex);
    assertThatThrownBy(() -> ConsulHttp.parse(r.body()))
        .isInstanceOf(JsonProcessingException.class);
  }

  @Test
  void slowBodyTricklesTheRealBody() throws Exception {
    String expected = http.get("/v1/kv/config/a").body();
    int chunks = (expected.length() + 15) / 16;
    server.enqueue(Fault.slowBody(16, Duration.ofMillis(50)));
    long start = System.nanoTime();

    HttpResponse<String> r = http.get("/v1/kv/config/a");

    assertThat(r.body()).isEqualTo(expected);
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .isGreaterThanOrEqualTo(Duration.ofMillis(50L * chunks));
  }

  @Test
  void recordedRequestsNameTheFaultApplied() throws Exception {
    Fault fault = Fault.noClusterLeader().onPath("/v1/kv/config/");
    server.enqueue(fault);

    http.get("/v1/kv/config/a");
    http.get("/v1/kv/config/a");

    assertThat(server.takeRequest().fault()).containsSame(fault);
    assertThat(server.takeRequest().fault()).isEmpty();
  }

  @Test
  void faultsAreImmutableValues() {
    Fault base = Fault.noClusterLeader();
    Fault derived = base.times(3).onPath("/v1/kv/x").onMethod("get").delayed(Duration.ofSeconds(1));

    assertThat(base.times()).hasValue(1);
    assertThat(base.pathPrefix()).isEmpty();
    assertThat(derived.times()).hasValue(3);
    assertThat(derived.pathPrefix()).hasValue("/v1/kv/x");
    assertThat(derived.method()).hasValue("GET");
    assertThat(derived.delay()).isEqualTo(Duration.ofSeconds(1));
    assertThat(base.untilCleared().times()).isEmpty();
    assertThatThrownBy(() -> base.times(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Fault.status(42, "x")).isInstanceOf(IllegalArgumentException.class);
  }
}
