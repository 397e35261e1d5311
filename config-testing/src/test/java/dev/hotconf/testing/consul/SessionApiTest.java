package dev.hotconf.testing.consul;

import static dev.hotconf.testing.consul.ConsulHttp.index;
import static dev.hotconf.testing.consul.ConsulHttp.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The /v1/session endpoints, pinned to Consul's session API (agent/session_endpoint.go). */
@Timeout(30)
class SessionApiTest {

  @RegisterExtension final ConsulTestServerExtension consul = new ConsulTestServerExtension();

  private ConsulTestServer server;
  private ConsulHttp http;

  @BeforeEach
  void setUp() {
    server = consul.server();
    http = new ConsulHttp(server);
  }

  private String create(String body) throws Exception {
    HttpResponse<String> r = http.put("/v1/session/create", body);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return json(r).get("ID").asText();
  }

  private JsonNode info(String id) throws Exception {
    HttpResponse<String> r = http.get("/v1/session/info/" + id);
    assertThat(r.statusCode()).isEqualTo(200);
    return json(r);
  }

  @Test
  void aSessionWithoutBodyHasConsulsDefaults() throws Exception {
    HttpResponse<String> r = http.put("/v1/session/create", "");

    assertThat(r.statusCode()).isEqualTo(200);
    String id = json(r).get("ID").asText();
    assertThat(id).matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    JsonNode s = info(id).get(0);
    assertThat(s.get("ID").asText()).isEqualTo(id);
    assertThat(s.get("Name").asText()).isEmpty();
    assertThat(s.get("Node").asText()).isEqualTo(ConsulTestServer.NODE_NAME);
    assertThat(s.get("LockDelay").asLong()).as("15 s in nanoseconds").isEqualTo(15_000_000_000L);
    assertThat(s.get("Behavior").asText()).isEqualTo("release");
    assertThat(s.get("TTL").asText()).isEmpty();
    assertThat(s.get("NodeChecks").toString())
        .as("bound to the node's gossip health by default")
        .isEqualTo("[\"serfHealth\"]");
    assertThat(s.get("CreateIndex").asLong()).isPositive().isEqualTo(s.get("ModifyIndex").asLong());
  }

  @Test
  void createTakesNameTtlBehaviorLockDelayAndNoChecks() throws Exception {
    String id =
        create(
            "{\"Name\":\"hotconf-ack\",\"TTL\":\"15s\",\"Behavior\":\"delete\","
                + "\"LockDelay\":\"0s\",\"NodeChecks\":[]}");

    JsonNode s = info(id).get(0);
    assertThat(s.get("Name").asText()).isEqualTo("hotconf-ack");
    assertThat(s.get("TTL").asText()).isEqualTo("15s");
    assertThat(s.get("Behavior").asText()).isEqualTo("delete");
    assertThat(s.get("LockDelay").asLong()).isZero();
    assertThat(s.get("NodeChecks").toString()).isEqualTo("[]");
    ConsulSession session = server.session(id).orElseThrow();
    assertThat(session.ttl()).hasValue(Duration.ofSeconds(15));
    assertThat(session.behavior()).isEqualTo(ConsulSession.Behavior.DELETE);
    assertThat(session.nodeChecks()).isEmpty();
  }

  @Test
  void anEmptyChecksListAlsoUnbindsTheSessionFromSerfHealth() throws Exception {
    String id = create("{\"Checks\":[]}");

    assertThat(server.session(id).orElseThrow().nodeChecks()).isEmpty();
    assertThat(info(id).get(0).has("Checks")).as("omitempty").isFalse();
  }

  @Test
  void fieldNamesMatchCaseInsensitivelyAsGoDecodesThem() throws Exception {
    String id = create("{\"name\":\"n\",\"ttl\":\"10s\",\"behavior\":\"delete\"}");

    ConsulSession s = server.session(id).orElseThrow();
    assertThat(s.name()).isEqualTo("n");
    assertThat(s.ttl()).hasValue(Duration.ofSeconds(10));
    assertThat(s.behavior()).isEqualTo(ConsulSession.Behavior.DELETE);
  }

  @Test
  void lockDelayIsAGoDurationOrNanosecondsWithSmallNumbersMeaningSeconds() throws Exception {
    assertThat(server.session(create("{\"LockDelay\":\"2s\"}")).orElseThrow().lockDelay())
        .isEqualTo(Duration.ofSeconds(2));
    assertThat(server.session(create("{\"LockDelay\":5}")).orElseThrow().lockDelay())
        .isEqualTo(Duration.ofSeconds(5));
    assertThat(server.session(create("{\"LockDelay\":3000000000}")).orElseThrow().lockDelay())
        .isEqualTo(Duration.ofSeconds(3));
    assertThat(server.session(create("{\"LockDelay\":0}")).orElseThrow().lockDelay()).isZero();
  }

  @Test
  void ttlMustBeBetweenTenSecondsAndOneDay() throws Exception {
    HttpResponse<String> tooShort = http.put("/v1/session/create", "{\"TTL\":\"5s\"}");
    assertThat(tooShort.statusCode()).isEqualTo(500);
    assertThat(tooShort.body())
        .isEqualTo("Invalid Session TTL '5000000000', must be between [10s=24h0m0s]");

    HttpResponse<String> tooLong = http.put("/v1/session/create", "{\"TTL\":\"86401s\"}");
    assertThat(tooLong.statusCode()).isEqualTo(500);
    assertThat(tooLong.body()).startsWith("Invalid Session TTL '86401000000000'");

    HttpResponse<String> garbage = http.put("/v1/session/create", "{\"TTL\":\"soon\"}");
    assertThat(garbage.statusCode()).isEqualTo(500);
    assertThat(garbage.body())
        .isEqualTo("Session TTL 'soon' invalid: time: invalid duration \"soon\"");

    assertThat(server.session(create("{\"TTL\":\"10s\"}")).orElseThrow().ttl())
        .hasValue(Duration.ofSeconds(10));
    assertThat(server.session(create("{\"TTL\":\"86400s\"}")).orElseThrow().ttl())
        .hasValue(Duration.ofDays(1));
    assertThat(server.session(create("{\"TTL\":\"0s\"}")).orElseThrow().ttl())
        .as("a zero TTL means none")
        .isEmpty();
    assertThat(server.sessions()).hasSize(3);
  }

  @Test
  void badBodiesAreRefusedAsConsulRefusesThem() throws Exception {
    assertThat(http.put("/v1/session/create", "{\"Behavior\":\"forget\"}").body())
        .isEqualTo("Invalid Behavior setting 'forget'");
    HttpResponse<String> unknown = http.put("/v1/session/create", "{\"Bogus\":1}");
    assertThat(unknown.statusCode()).isEqualTo(400);
    assertThat(unknown.body()).isEqualTo("Request decode failed: json: unknown field \"Bogus\"");
    HttpResponse<String> malformed = http.put("/v1/session/create", "{\"TTL\":");
    assertThat(malformed.statusCode()).isEqualTo(400);
    assertThat(malformed.body()).startsWith("Request decode failed: ");
    assertThat(http.put("/v1/session/create", "{\"TTL\":15}").statusCode()).isEqualTo(400);
    HttpResponse<String> node = http.put("/v1/session/create", "{\"Node\":\"elsewhere\"}");
    assertThat(node.statusCode()).isEqualTo(500);
    assertThat(node.body()).isEqualTo("Missing node registration");
    HttpResponse<String> check = http.put("/v1/session/create", "{\"NodeChecks\":[\"disk\"]}");
    assertThat(check.statusCode()).isEqualTo(500);
    assertThat(check.body()).isEqualTo("Missing check 'disk' registration");
    assertThat(server.sessions()).as("nothing was created").isEmpty();
  }

  @Test
  void renewAnswersTheSessionOr404() throws Exception {
    String id = create("{\"TTL\":\"30s\"}");

    HttpResponse<String> renewed = http.put("/v1/session/renew/" + id, "");
    assertThat(renewed.statusCode()).isEqualTo(200);
    assertThat(json(renewed).get(0).get("ID").asText()).isEqualTo(id);

    HttpResponse<String> unknown = http.put("/v1/session/renew/nope", "");
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(unknown.body()).isEqualTo("Session id 'nope' not found");
  }

  @Test
  void destroyIsIdempotentAndInfoOfAnUnknownSessionIsAnEmptyList() throws Exception {
    String id = create("");

    assertThat(http.put("/v1/session/destroy/" + id, "").body()).isEqualTo("true");
    assertThat(http.put("/v1/session/destroy/" + id, "").body()).isEqualTo("true");

    assertThat(info(id).toString()).isEqualTo("[]");
    assertThat(server.session(id)).isEmpty();
  }

  @Test
  void listAndNodeShowEverySessionWithTheSessionTableIndex() throws Exception {
    String a = create("{\"Name\":\"a\"}");
    String b = create("{\"Name\":\"b\"}");

    HttpResponse<String> list = http.get("/v1/session/list");
    assertThat(json(list)).extracting(n -> n.get("ID").asText()).containsExactlyInAnyOrder(a, b);
    assertThat(index(list)).isEqualTo(server.session(b).orElseThrow().modifyIndex());
    assertThat(json(http.get("/v1/session/node/" + ConsulTestServer.NODE_NAME))).hasSize(2);
    assertThat(json(http.get("/v1/session/node/other"))).isEmpty();
  }

  @Test
  void aBlockingListWakesWhenASessionIsCreated() throws Exception {
    long before = index(http.get("/v1/session/list"));
    CompletableFuture<HttpResponse<String>> blocked =
        http.getAsync("/v1/session/list?index=" + before + "&wait=30s");
    await().until(() -> server.blockedQueryCount() == 1);

    String id = create("{\"Name\":\"late\"}");

    HttpResponse<String> woke = blocked.get();
    assertThat(index(woke)).isGreaterThan(before);
    assertThat(json(woke).get(0).get("ID").asText()).isEqualTo(id);
  }

  @Test
  void wrongMethodsAndPathsAreRefused() throws Exception {
    assertThat(http.get("/v1/session/create").statusCode()).isEqualTo(405);
    assertThat(http.put("/v1/session/list", "").statusCode()).isEqualTo(405);
    assertThat(http.put("/v1/session/renew/", "").body()).isEqualTo("Missing session");
    assertThat(http.get("/v1/session/nothing").statusCode()).isEqualTo(404);
  }

  @Test
  void theAclCoversSessions() throws Exception {
    server.requireToken("secret-token");

    assertThat(http.put("/v1/session/create", "").statusCode()).isEqualTo(403);
    HttpResponse<String> ok = http.put("/v1/session/create", "", "X-Consul-Token", "secret-token");
    assertThat(ok.statusCode()).isEqualTo(200);
  }

  @Test
  void resetDropsEverySession() throws Exception {
    create("");

    server.reset();

    assertThat(server.sessions()).isEmpty();
  }
}
