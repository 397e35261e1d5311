package dev.hotconf.testing.consul;

import static dev.hotconf.testing.consul.ConsulHttp.index;
import static dev.hotconf.testing.consul.ConsulHttp.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** PUT and DELETE on /v1/kv/..., including cas and flags, pinned to Consul's KV API. */
@Timeout(30)
class KvWriteTest {

  @RegisterExtension final ConsulTestServerExtension consul = new ConsulTestServerExtension();

  private ConsulTestServer server;
  private ConsulHttp http;

  @BeforeEach
  void setUp() {
    server = consul.server();
    http = new ConsulHttp(server);
  }

  @Test
  void putStoresTheRawBodyAndAnswersTrue() throws Exception {
    byte[] body = {'a', 0, (byte) 0xc3, (byte) 0xa9};

    HttpResponse<String> response = http.put("/v1/kv/config/bin", body);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("true");
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
    assertThat(server.get("config/bin").orElseThrow().value()).containsExactly(body);
    assertThat(response.headers().firstValue("X-Consul-Index"))
        .as("Consul sets query meta on reads only")
        .isEmpty();
  }

  @Test
  void putWithFlagsStoresAnUnsignedSixtyFourBitValue() throws Exception {
    http.put("/v1/kv/f?flags=18446744073709551615", "v");

    JsonNode entry = json(http.get("/v1/kv/f")).get(0);

    assertThat(entry.get("Flags").asText()).isEqualTo("18446744073709551615");
    assertThat(server.get("f").orElseThrow().flags()).isEqualTo(-1L);
    assertThat(http.put("/v1/kv/f?flags=-1", "v").statusCode()).isEqualTo(500);
  }

  @Test
  void identicalRewriteDoesNotBumpModifyIndex() throws Exception {
    http.put("/v1/kv/k?flags=7", "same");
    long modifyIndex = server.get("k").orElseThrow().modifyIndex();
    long tableIndex = server.index();

    assertThat(http.put("/v1/kv/k?flags=7", "same").body()).isEqualTo("true");

    assertThat(server.get("k").orElseThrow().modifyIndex()).isEqualTo(modifyIndex);
    assertThat(server.index()).isEqualTo(tableIndex);
    assertThat(server.put("k", "same", 7)).isEqualTo(modifyIndex);

    http.put("/v1/kv/k?flags=8", "same");
    assertThat(server.get("k").orElseThrow().modifyIndex())
        .as("a flags change is a change")
        .isGreaterThan(modifyIndex);
  }

  @Test
  void updateKeepsCreateIndexAndMovesModifyIndex() throws Exception {
    long created = server.put("k", "1");
    server.put("other", "x");
    long modified = server.put("k", "2");

    JsonNode entry = json(http.get("/v1/kv/k")).get(0);

    assertThat(entry.get("CreateIndex").asLong()).isEqualTo(created);
    assertThat(entry.get("ModifyIndex").asLong()).isEqualTo(modified).isGreaterThan(created);
  }

  @Test
  void casZeroCreatesOnlyIfAbsent() throws Exception {
    assertThat(http.put("/v1/kv/k?cas=0", "first").body()).isEqualTo("true");
    assertThat(http.put("/v1/kv/k?cas=0", "second").body()).isEqualTo("false");

    assertThat(server.get("k").orElseThrow().valueAsString()).isEqualTo("first");
  }

  @Test
  void casWithAnIndexWritesOnlyWhenModifyIndexMatches() throws Exception {
    long modifyIndex = server.put("k", "v1");
    server.put("other", "bump the table index");

    assertThat(http.put("/v1/kv/k?cas=" + (modifyIndex + 1), "stale").body()).isEqualTo("false");
    assertThat(http.put("/v1/kv/k?cas=" + modifyIndex, "v2").body()).isEqualTo("true");
    assertThat(http.put("/v1/kv/k?cas=" + modifyIndex, "v3").body())
        .as("index moved on")
        .isEqualTo("false");
    assertThat(http.put("/v1/kv/missing?cas=5", "x").body())
        .as("cas>0 on a missing key")
        .isEqualTo("false");

    assertThat(server.get("k").orElseThrow().valueAsString()).isEqualTo("v2");
    assertThat(server.get("missing")).isEmpty();
  }

  @Test
  void deleteAnswersTrueAndAMissingKeyDeleteChangesNothing() throws Exception {
    server.put("k", "v");

    assertThat(http.delete("/v1/kv/k").body()).isEqualTo("true");
    assertThat(server.get("k")).isEmpty();
    long index = server.index();

    assertThat(http.delete("/v1/kv/k").body()).isEqualTo("true");
    assertThat(server.index()).isEqualTo(index);
  }

  @Test
  void deleteRecurseRemovesEveryKeyWithThePrefixInOneWrite() throws Exception {
    server.put("app/a", "1");
    server.put("app/b/c", "2");
    server.put("apple", "3");
    server.put("other", "4");
    long before = server.index();

    assertThat(http.delete("/v1/kv/app/?recurse").body()).isEqualTo("true");

    assertThat(server.get("app/a")).isEmpty();
    assertThat(server.get("app/b/c")).isEmpty();
    assertThat(server.get("apple")).isPresent();
    assertThat(server.index()).isEqualTo(before + 1);
    HttpResponse<String> gone = http.get("/v1/kv/app/?recurse");
    assertThat(gone.statusCode()).isEqualTo(404);
    assertThat(index(gone)).as("tombstones keep the prefix index").isEqualTo(before + 1);
  }

  @Test
  void deleteWithCasFollowsConsul() throws Exception {
    long modifyIndex = server.put("k", "v");

    assertThat(http.delete("/v1/kv/k?cas=" + (modifyIndex - 1)).body()).isEqualTo("false");
    assertThat(server.get("k")).isPresent();
    assertThat(http.delete("/v1/kv/k?cas=" + modifyIndex).body()).isEqualTo("true");
    assertThat(server.get("k")).isEmpty();
    assertThat(http.delete("/v1/kv/k?cas=123").body()).as("nothing to delete").isEqualTo("true");
  }

  @Test
  void conflictingFlagsAndMissingKeyNamesAre400() throws Exception {
    assertThat(http.delete("/v1/kv/k?recurse&cas=1").statusCode()).isEqualTo(400);
    assertThat(http.put("/v1/kv/k?cas=1&acquire=abc", "v").statusCode()).isEqualTo(400);
    assertThat(http.put("/v1/kv/", "v").body()).isEqualTo("Missing key name");
    assertThat(http.delete("/v1/kv/").body()).isEqualTo("Missing key name");
  }

  @Test
  void acquireWithAnUnknownSessionFailsAndReleasingAnUnheldKeyIsFalse() throws Exception {
    HttpResponse<String> acquire =
        http.put("/v1/kv/lock?acquire=4ca8e74b-6350-7587-addf-a18084928f3c", "me");

    assertThat(acquire.statusCode()).isEqualTo(500);
    assertThat(acquire.body()).startsWith("invalid session");
    assertThat(http.put("/v1/kv/lock?release=4ca8e74b-6350-7587-addf-a18084928f3c", "").body())
        .isEqualTo("false");
  }

  @Test
  void valuesAboveFiveHundredTwelveKibAreRejectedWith413() throws Exception {
    HttpResponse<String> response =
        http.put("/v1/kv/big", new byte[ConsulTestServer.MAX_VALUE_SIZE + 1]);

    assertThat(response.statusCode()).isEqualTo(413);
    assertThat(server.get("big")).isEmpty();
    assertThat(http.put("/v1/kv/big", new byte[ConsulTestServer.MAX_VALUE_SIZE]).body())
        .isEqualTo("true");
  }

  @Test
  void programmaticApiRejectsKeysConsulWouldReject() {
    assertThatThrownBy(() -> server.put("/leading", "v"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> server.put("with space", "v"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> server.put("", "v")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> server.put(null, "v")).isInstanceOf(NullPointerException.class);
    assertThat(server.deletePrefix("")).isZero();
  }

  @Test
  void programmaticDeletePrefixCountsDeletedKeys() {
    server.put("a/1", "x");
    server.put("a/2", "x");
    server.put("b", "x");

    assertThat(server.deletePrefix("a/")).isEqualTo(2);
    assertThat(server.delete("b")).isTrue();
    assertThat(server.delete("b")).isFalse();
  }
}
