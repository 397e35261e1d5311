package dev.hotconf.testing.consul;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The request log: what is recorded, in which order, and how tests consume it. */
@Timeout(30)
class RequestLogTest {

  @RegisterExtension final ConsulTestServerExtension consul = new ConsulTestServerExtension();

  private ConsulTestServer server;
  private ConsulHttp http;

  @BeforeEach
  void setUp() {
    server = consul.server();
    http = new ConsulHttp(server);
  }

  @Test
  void takeRequestReturnsRequestsInOrderWithTheirDetails() throws Exception {
    Instant before = Instant.now();
    http.put(
        "/v1/kv/config/app?flags=3&cas=0",
        "payload",
        "X-Consul-Token",
        "t",
        "User-Agent",
        "hotconf-test");
    http.get("/v1/kv/config/?recurse&stale&dc=dc1&separator=%2F");

    RecordedRequest put = server.takeRequest(Duration.ofSeconds(5));
    assertThat(put.sequenceNumber()).isZero();
    assertThat(put.method()).isEqualTo("PUT");
    assertThat(put.path()).isEqualTo("/v1/kv/config/app");
    assertThat(put.key()).hasValue("config/app");
    assertThat(put.rawQuery()).isEqualTo("flags=3&cas=0");
    assertThat(put.queryParameters()).containsOnlyKeys("flags", "cas");
    assertThat(put.queryParameter("flags")).hasValue("3");
    assertThat(put.header("x-consul-token")).hasValue("t");
    assertThat(put.header("User-Agent")).hasValue("hotconf-test");
    assertThat(put.bodyAsString()).isEqualTo("payload");
    assertThat(put.status()).isEqualTo(200);
    assertThat(put.receivedAt()).isAfterOrEqualTo(before.minusSeconds(1));
    assertThat(put.fault()).isEmpty();
    assertThat(put.usedTokenQueryParameter()).isFalse();

    RecordedRequest get = server.takeRequest(Duration.ofSeconds(5));
    assertThat(get.sequenceNumber()).isEqualTo(1);
    assertThat(get.method()).isEqualTo("GET");
    assertThat(get.queryParameter("recurse")).hasValue("");
    assertThat(get.hasQueryParameter("stale")).isTrue();
    assertThat(get.queryParameter("separator")).hasValue("/");
    assertThat(get.status()).isEqualTo(200);
    assertThat(get.body()).isEmpty();
  }

  @Test
  void failedAnswersAreRecordedWithTheirStatus() throws Exception {
    http.get("/v1/kv/missing");
    http.get("/v1/kv/bad key".replace(" ", "%20"));

    assertThat(server.takeRequest().status()).isEqualTo(404);
    assertThat(server.takeRequest().status()).isEqualTo(400);
  }

  @Test
  void requestCountSnapshotAndClear() throws Exception {
    for (int i = 0; i < 3; i++) {
      http.get("/v1/kv/k" + i);
    }
    server.takeRequest();

    assertThat(server.requestCount()).as("taken requests still count").isEqualTo(3);
    List<RecordedRequest> snapshot = server.requests();
    assertThat(snapshot)
        .extracting(RecordedRequest::path)
        .containsExactly("/v1/kv/k0", "/v1/kv/k1", "/v1/kv/k2");
    assertThatThrownBy(() -> snapshot.clear()).isInstanceOf(UnsupportedOperationException.class);

    server.clearRequests();

    assertThat(server.requestCount()).isZero();
    assertThat(server.requests()).isEmpty();
    http.get("/v1/kv/after");
    RecordedRequest after = server.takeRequest();
    assertThat(after.path()).isEqualTo("/v1/kv/after");
    assertThat(after.sequenceNumber()).isZero();
  }

  @Test
  void takeRequestFailsWhenNothingArrivesInTime() {
    assertThatThrownBy(() -> server.takeRequest(Duration.ofMillis(100)))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("no request");
  }

  @Test
  void blockingQueryIsRecordedWhenItReturnsWithItsIndexAndTimeout() throws Exception {
    long index = server.put("k", "v");
    CompletableFuture<HttpResponse<String>> pending =
        http.getAsync("/v1/kv/k?index=" + index + "&wait=20s");
    await().atMost(Duration.ofSeconds(10)).until(() -> server.blockedQueryCount() == 1);
    assertThat(server.requestCount()).isZero();

    server.put("k", "v2");
    pending.get(10, TimeUnit.SECONDS);

    RecordedRequest r = server.takeRequest();
    assertThat(r.index()).hasValue(index);
    assertThat(r.blockingTimeout())
        .hasValueSatisfying(
            t ->
                assertThat(t)
                    .isBetween(Duration.ofSeconds(20), Duration.ofSeconds(20).plusMillis(1250)));
  }

  @Test
  void headersAndParametersAreReadOnly() throws Exception {
    http.get("/v1/kv/k?a=1&a=2");

    RecordedRequest r = server.takeRequest();

    assertThat(r.queryParameters().get("a")).containsExactly("1", "2");
    assertThatThrownBy(() -> r.queryParameters().get("a").add("3"))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> r.headers().clear()).isInstanceOf(UnsupportedOperationException.class);
  }
}
