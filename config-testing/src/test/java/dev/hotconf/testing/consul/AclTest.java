package dev.hotconf.testing.consul;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** ACL tokens: where they are accepted and what a refusal looks like. */
@Timeout(30)
class AclTest {

  private static final String TOKEN = "3f1c1f8e-6b1d-4b7e-9d55-0c7e2f0a1b2c";

  @RegisterExtension
  final ConsulTestServerExtension consul =
      new ConsulTestServerExtension(ConsulTestServer.builder().aclToken(TOKEN));

  private ConsulTestServer server;
  private ConsulHttp http;

  @BeforeEach
  void setUp() {
    server = consul.server();
    http = new ConsulHttp(server);
    server.put("secret", "s3cr3t");
  }

  @Test
  void requestWithoutTokenIs403PermissionDenied() throws Exception {
    HttpResponse<String> response = http.get("/v1/kv/secret");

    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(response.body()).isEqualTo("Permission denied");
    assertThat(response.headers().firstValue("X-Consul-Index"))
        .as("errors carry no query meta")
        .isEmpty();
  }

  @Test
  void unknownTokenIs403AclNotFound() throws Exception {
    HttpResponse<String> response = http.get("/v1/kv/secret", "X-Consul-Token", "not-the-token");

    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(response.body()).isEqualTo("ACL not found");
  }

  @Test
  void xConsulTokenHeaderIsAccepted() throws Exception {
    assertThat(http.get("/v1/kv/secret", "X-Consul-Token", TOKEN).statusCode()).isEqualTo(200);
    assertThat(server.takeRequest().usedTokenQueryParameter()).isFalse();
  }

  @Test
  void bearerTokenIsAccepted() throws Exception {
    assertThat(http.get("/v1/kv/secret", "Authorization", "Bearer " + TOKEN).statusCode())
        .isEqualTo(200);
    assertThat(http.get("/v1/kv/secret", "Authorization", "Basic " + TOKEN).statusCode())
        .isEqualTo(403);
  }

  @Test
  void tokenQueryParameterWorksButIsRecordedAsDeprecatedUse() throws Exception {
    assertThat(http.get("/v1/kv/secret?token=" + TOKEN).statusCode()).isEqualTo(200);

    RecordedRequest request = server.takeRequest();
    assertThat(request.usedTokenQueryParameter()).isTrue();
    assertThat(request.queryParameter("token")).hasValue(TOKEN);
  }

  @Test
  void writesNeedTheTokenToo() throws Exception {
    assertThat(http.put("/v1/kv/secret", "changed").statusCode()).isEqualTo(403);
    assertThat(http.delete("/v1/kv/secret").statusCode()).isEqualTo(403);
    assertThat(server.get("secret").orElseThrow().valueAsString()).isEqualTo("s3cr3t");

    assertThat(http.put("/v1/kv/secret", "changed", "X-Consul-Token", TOKEN).body())
        .isEqualTo("true");
  }

  @Test
  void aclCanBeSwitchedAtRuntime() throws Exception {
    server.disableAcl();
    assertThat(http.get("/v1/kv/secret").statusCode()).isEqualTo(200);

    server.requireToken("rotated");
    assertThat(http.get("/v1/kv/secret", "X-Consul-Token", TOKEN).body())
        .isEqualTo("ACL not found");
    assertThat(http.get("/v1/kv/secret", "X-Consul-Token", "rotated").statusCode()).isEqualTo(200);
  }

  @Test
  void blockingQueryWithoutTokenIsRefusedAtOnce() throws Exception {
    long index = server.get("secret").orElseThrow().modifyIndex();

    HttpResponse<String> response = http.get("/v1/kv/secret?index=" + index + "&wait=30s");

    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(server.blockedQueryCount()).isZero();
  }
}
