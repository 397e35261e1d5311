package dev.hotconf.testing.consul;

import static dev.hotconf.testing.consul.ConsulHttp.index;
import static dev.hotconf.testing.consul.ConsulHttp.json;
import static dev.hotconf.testing.consul.ConsulHttp.value;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** GET /v1/kv/... answers, pinned to Consul's KV API and state store index rules. */
@Timeout(30)
class KvReadTest {

  @RegisterExtension final ConsulTestServerExtension consul = new ConsulTestServerExtension();

  private ConsulTestServer server;
  private ConsulHttp http;

  @BeforeEach
  void setUp() {
    server = consul.server();
    http = new ConsulHttp(server);
  }

  @Test
  void singleKeyGetReturnsConsulJsonArrayWithBase64Value() throws Exception {
    long modifyIndex = server.put("config/app/name", "hello", 42);

    HttpResponse<String> response = http.get("/v1/kv/config/app/name");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
    assertThat(response.body())
        .isEqualTo(
            "[{\"LockIndex\":0,\"Key\":\"config/app/name\",\"Flags\":42,"
                + "\"Value\":\"aGVsbG8=\",\"CreateIndex\":"
                + modifyIndex
                + ",\"ModifyIndex\":"
                + modifyIndex
                + "}]");
    JsonNode entry = json(response).get(0);
    assertThat(entry.has("Session")).as("Session is omitted when there is none").isFalse();
    assertThat(value(entry)).isEqualTo("hello");
  }

  @Test
  void emptyValueIsRenderedAsNull() throws Exception {
    server.put("config/empty", "");

    JsonNode entry = json(http.get("/v1/kv/config/empty")).get(0);

    assertThat(entry.get("Value").isNull()).isTrue();
  }

  @Test
  void recurseTreatsTheKeyAsAStringPrefixAndSortsByKey() throws Exception {
    server.put("config/b", "2");
    server.put("config/a", "1");
    server.put("configx", "x");
    server.put("other", "o");

    HttpResponse<String> withSlash = http.get("/v1/kv/config/?recurse");
    HttpResponse<String> withTrue = http.get("/v1/kv/config/?recurse=true");
    HttpResponse<String> withoutSlash = http.get("/v1/kv/config?recurse");

    assertThat(keysOf(json(withSlash))).containsExactly("config/a", "config/b");
    assertThat(withTrue.body()).isEqualTo(withSlash.body());
    assertThat(keysOf(json(withoutSlash))).containsExactly("config/a", "config/b", "configx");
    assertThat(keysOf(json(http.get("/v1/kv/?recurse"))))
        .containsExactly("config/a", "config/b", "configx", "other");
  }

  @Test
  void rawReturnsTheBareValueBytes() throws Exception {
    byte[] binary = {0, 1, 2, (byte) 0xff, '\n'};
    server.put("blob", binary);

    HttpResponse<byte[]> response = http.getBytes("/v1/kv/blob?raw");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).containsExactly(binary);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("text/plain");
    assertThat(ConsulHttp.index(response))
        .isEqualTo(server.get("blob").orElseThrow().modifyIndex());
  }

  @Test
  void rawOfAMissingKeyIs404() throws Exception {
    HttpResponse<String> response = http.get("/v1/kv/nope?raw");

    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(response.body()).isEmpty();
  }

  @Test
  void keysListsKeysUnderPrefixAndFoldsAtTheSeparator() throws Exception {
    server.put("config/a", "1");
    server.put("config/b/c", "2");
    server.put("config/b/d", "3");

    assertThat(json(http.get("/v1/kv/config/?keys")).toString())
        .isEqualTo("[\"config/a\",\"config/b/c\",\"config/b/d\"]");
    assertThat(json(http.get("/v1/kv/config/?keys&separator=/")).toString())
        .isEqualTo("[\"config/a\",\"config/b/\"]");
    assertThat(json(http.get("/v1/kv/?keys&separator=/")).toString()).isEqualTo("[\"config/\"]");
  }

  @Test
  void keysAtTheRootOfAnEmptyStoreIsAnEmptyArrayNot404() throws Exception {
    HttpResponse<String> response = http.get("/v1/kv/?keys");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("[]");
    assertThat(index(response)).isPositive();
  }

  @Test
  void missingKeyIs404WithIndexHeader() throws Exception {
    server.put("present", "1");

    HttpResponse<String> response = http.get("/v1/kv/absent");

    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(response.body()).isEmpty();
    assertThat(index(response)).isEqualTo(server.index());
    assertThat(response.headers().firstValue("X-Consul-KnownLeader")).hasValue("true");
    assertThat(response.headers().firstValue("X-Consul-LastContact")).hasValue("0");
  }

  @Test
  void emptyPrefixIs404WithIndexHeaders() throws Exception {
    server.put("present", "1");

    for (String query : List.of("/v1/kv/absent/?recurse", "/v1/kv/absent/?keys")) {
      HttpResponse<String> response = http.get(query);
      assertThat(response.statusCode()).as(query).isEqualTo(404);
      assertThat(response.body()).as(query).isEmpty();
      assertThat(index(response)).as(query).isEqualTo(server.index());
      assertThat(response.headers().firstValue("X-Consul-KnownLeader")).as(query).hasValue("true");
      assertThat(response.headers().firstValue("X-Consul-LastContact")).as(query).hasValue("0");
    }
  }

  @Test
  void indexIsNeverZeroEvenOnAFreshServer() throws Exception {
    for (String query :
        List.of("/v1/kv/a", "/v1/kv/a/?recurse", "/v1/kv/?recurse", "/v1/kv/?keys")) {
      assertThat(index(http.get(query))).as(query).isGreaterThanOrEqualTo(1);
    }
    assertThat(server.index()).isGreaterThanOrEqualTo(1);
  }

  @Test
  void tableIndexIsMonotonicAndGrowsWithEveryEffectiveWrite() throws Exception {
    List<Long> seen = new ArrayList<>();
    seen.add(index(http.get("/v1/kv/x")));
    http.put("/v1/kv/a", "1");
    seen.add(index(http.get("/v1/kv/x")));
    http.put("/v1/kv/b", "1");
    seen.add(index(http.get("/v1/kv/x")));
    http.delete("/v1/kv/a");
    seen.add(index(http.get("/v1/kv/x")));
    http.put("/v1/kv/a", "2");
    seen.add(index(http.get("/v1/kv/x")));

    assertThat(seen).isSorted().doesNotHaveDuplicates().allSatisfy(i -> assertThat(i).isPositive());
    assertThat(seen.get(seen.size() - 1)).isEqualTo(server.index());
  }

  @Test
  void existingKeyIndexIsItsOwnModifyIndexNotTheTableIndex() throws Exception {
    long a = server.put("a", "1");
    long b = server.put("b", "1");

    HttpResponse<String> response = http.get("/v1/kv/a");

    assertThat(b).isGreaterThan(a);
    assertThat(index(response))
        .isEqualTo(a)
        .isEqualTo(json(response).get(0).get("ModifyIndex").asLong());
  }

  @Test
  void missingKeyIndexIsTheTableIndexIncludingTombstones() throws Exception {
    server.put("a", "1");
    server.put("b", "1");
    server.delete("b");

    long index = index(http.get("/v1/kv/never-existed"));

    assertThat(index).isEqualTo(server.index());
    assertThat(index)
        .as("the delete's index counts")
        .isGreaterThan(server.get("a").orElseThrow().modifyIndex());
  }

  @Test
  void prefixIndexIsMaxModifyIndexUnderPrefixIncludingTombstones() throws Exception {
    server.put("app/a", "1");
    long b = server.put("app/b", "1");
    server.put("zzz", "elsewhere");

    assertThat(index(http.get("/v1/kv/app/?recurse"))).isEqualTo(b);
    assertThat(index(http.get("/v1/kv/app/?keys"))).isEqualTo(b);

    server.delete("app/b");
    long tombstone = server.index();
    server.put("zzz", "elsewhere again");

    assertThat(index(http.get("/v1/kv/app/?recurse"))).isEqualTo(tombstone);
    assertThat(index(http.get("/v1/kv/app/?keys"))).isEqualTo(tombstone);

    server.delete("app/a");
    HttpResponse<String> onlyTombstones = http.get("/v1/kv/app/?recurse");
    assertThat(onlyTombstones.statusCode()).isEqualTo(404);
    assertThat(index(onlyTombstones)).isEqualTo(server.index()).isLessThan(Long.MAX_VALUE);
  }

  @Test
  void prefixThatNeverHadEntriesUsesTheTableIndex() throws Exception {
    server.put("a", "1");
    server.put("b", "2");

    assertThat(index(http.get("/v1/kv/nothing/?recurse"))).isEqualTo(server.index());
  }

  @Test
  void badKeyNamesAre400() throws Exception {
    for (String path :
        List.of(
            "/v1/kv/bad%20key",
            "/v1/kv/a$b", "/v1/kv//leading", "/v1/kv/a/../b", "/v1/kv/%2e%2e%2fetc")) {
      HttpResponse<String> response = http.get(path);
      assertThat(response.statusCode()).as(path).isEqualTo(400);
      assertThat(response.headers().firstValue("X-Consul-Index")).as(path).isEmpty();
    }
    assertThat(http.get("/v1/kv/").body()).isEqualTo("Missing key name");
    assertThat(http.get("/v1/kv/ok,key_with-all.allowed/chars").statusCode()).isEqualTo(404);
  }

  @Test
  void consistencyModesAreAcceptedRecordedAndReported() throws Exception {
    server.put("k", "v");

    HttpResponse<String> stale = http.get("/v1/kv/k?stale");
    HttpResponse<String> consistent = http.get("/v1/kv/k?consistent&dc=dc1");
    HttpResponse<String> normal = http.get("/v1/kv/k");

    assertThat(stale.statusCode()).isEqualTo(200);
    assertThat(consistent.statusCode()).isEqualTo(200);
    assertThat(stale.headers().firstValue("X-Consul-Effective-Consistency")).hasValue("stale");
    assertThat(consistent.headers().firstValue("X-Consul-Effective-Consistency"))
        .hasValue("consistent");
    assertThat(normal.headers().firstValue("X-Consul-Effective-Consistency")).hasValue("leader");
    assertThat(server.takeRequest().hasQueryParameter("stale")).isTrue();
    RecordedRequest second = server.takeRequest();
    assertThat(second.hasQueryParameter("consistent")).isTrue();
    assertThat(second.queryParameter("dc")).hasValue("dc1");
  }

  @Test
  void unknownDatacenterAndConflictingConsistencyAreErrors() throws Exception {
    HttpResponse<String> otherDc = http.get("/v1/kv/k?dc=dc2");
    HttpResponse<String> both = http.get("/v1/kv/k?stale&consistent");

    assertThat(otherDc.statusCode()).isEqualTo(500);
    assertThat(otherDc.body()).isEqualTo("No path to datacenter");
    assertThat(both.statusCode()).isEqualTo(400);
  }

  @Test
  void invalidIndexOrWaitIs400() throws Exception {
    HttpResponse<String> badIndex = http.get("/v1/kv/k?index=abc");
    HttpResponse<String> badWait = http.get("/v1/kv/k?index=1&wait=5x");

    assertThat(badIndex.statusCode()).isEqualTo(400);
    assertThat(badIndex.body()).isEqualTo("Invalid index");
    assertThat(badWait.statusCode()).isEqualTo(400);
    assertThat(badWait.body()).isEqualTo("Invalid wait time");
  }

  @Test
  void unsupportedMethodIs405AndUnknownPathIs404() throws Exception {
    HttpResponse<String> post =
        ConsulHttp.CLIENT.send(
            http.request("/v1/kv/k")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("x"))
                .build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(post.statusCode()).isEqualTo(405);
    assertThat(http.get("/v1/catalog/services").statusCode()).isEqualTo(404);
    assertThat(http.get("/v1/status/leader").body()).isEqualTo("\"127.0.0.1:8300\"");
  }

  private static List<String> keysOf(JsonNode array) {
    List<String> keys = new ArrayList<>();
    array.forEach(e -> keys.add(e.get("Key").asText()));
    return keys;
  }
}
