package dev.hotconf.consul;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hotconf.ConfigNode;
import dev.hotconf.ConfigObject;
import dev.hotconf.ConfigOrigin;
import dev.hotconf.Redactor;
import dev.hotconf.parse.ConfigFormat;
import dev.hotconf.testing.consul.ConsulTestServer;
import dev.hotconf.testing.consul.ConsulTestServerExtension;
import dev.hotconf.testing.consul.RecordedRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The two shapes, origins, missing keys and wake-ups without change. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ConsulSourceShapesTest {
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

  private static ConfigNode at(ConfigObject root, String dotted) {
    ConfigNode node = root;
    for (String part : dotted.split("\\.")) {
      node = ((ConfigObject) node).get(part);
    }
    return node;
  }

  @Test
  void singleKeyYamlDocumentWithOriginsNamingKeyAndModifyIndex() {
    ConsulTestServer server = consul.server();
    long modifyIndex = server.put("config/app/data", "db:\n  pool:\n    size: 5\nname: orders\n");
    RecordingListener listener = start(TestConfigs.key(server, "config/app/data").build());

    await().atMost(Duration.ofSeconds(5)).until(() -> listener.contents().size() == 1);
    ConfigObject content = listener.contents().get(0);
    assertThat(content.unwrapped())
        .isEqualTo(Map.of("db", Map.of("pool", Map.of("size", 5L)), "name", "orders"));
    ConfigOrigin origin = at(content, "db.pool.size").origin();
    assertThat(origin.location()).isEqualTo("consul:config/app/data@" + modifyIndex);
    assertThat(origin.line()).isEqualTo(3);
    assertThat(origin.column()).isGreaterThan(0);
    assertThat(origin.sourceName()).isEqualTo("consul:config/app/data");
  }

  @Test
  void formatFollowsTheKeysExtensionOrIsGiven() {
    ConsulTestServer server = consul.server();
    server.put("config/app/app.json", "{\"a\": {\"b\": true}}");
    server.put("config/app/props", "a.b=7\n");
    RecordingListener json = start(TestConfigs.key(server, "config/app/app.json").build());
    RecordingListener props =
        start(TestConfigs.key(server, "config/app/props").format(ConfigFormat.PROPERTIES).build());

    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> json.contents().size() == 1 && props.contents().size() == 1);
    assertThat(json.lastContent()).isEqualTo(Map.of("a", Map.of("b", true)));
    assertThat(props.lastContent()).isEqualTo(Map.of("a", Map.of("b", 7L)));
  }

  @Test
  void prefixKeysBecomeDottedKeysWithScalarValuesAndFoldersAreIgnored() {
    ConsulTestServer server = consul.server();
    long sizeIndex = server.put("config/app/db/pool/size", "5");
    server.put("config/app/db/url", "jdbc:h2:mem:x");
    server.put("config/app/feature/enabled", "true");
    server.put("config/app/folder/", "");
    server.put("config/application/other", "not mine");

    RecordingListener listener = start(TestConfigs.prefix(server, "config/app").build());

    await().atMost(Duration.ofSeconds(5)).until(() -> listener.contents().size() == 1);
    ConfigObject content = listener.contents().get(0);
    assertThat(content.unwrapped())
        .isEqualTo(
            Map.of(
                "db", Map.of("pool", Map.of("size", 5L), "url", "jdbc:h2:mem:x"),
                "feature", Map.of("enabled", true)));
    assertThat(at(content, "db.pool.size").origin().location())
        .isEqualTo("consul:config/app/db/pool/size@" + sizeIndex);
    RecordedRequest first = consul.server().requests().get(0);
    assertThat(first.path()).isEqualTo("/v1/kv/config/app/");
    assertThat(first.hasQueryParameter("recurse")).isTrue();
  }

  @Test
  void prefixChangesAreDeliveredAndWakeUpsWithoutChangePublishNothing() throws Exception {
    ConsulTestServer server = consul.server();
    server.put("config/app/a", "1");
    RecordingListener listener = start(TestConfigs.prefix(server, "config/app/").build());
    await().atMost(Duration.ofSeconds(5)).until(() -> listener.contents().size() == 1);

    // a folder key wakes the prefix query (its index moves) but changes no value
    server.put("config/app/folder/", "");
    int before = server.requestCount();
    // and several 1 s waits expire without change
    await().atMost(Duration.ofSeconds(10)).until(() -> server.requestCount() >= before + 3);
    assertThat(listener.events()).hasSize(1);

    server.put("config/app/b", "two");
    await().atMost(Duration.ofSeconds(5)).until(() -> listener.contents().size() == 2);
    assertThat(listener.lastContent()).isEqualTo(Map.of("a", 1L, "b", "two"));
  }

  @Test
  void wakeUpsWithoutChangePublishNothingForASingleKey() {
    ConsulTestServer server = consul.server();
    server.put("config/app/data", "a: 1");
    RecordingListener listener = start(TestConfigs.key(server, "config/app/data").build());
    await().atMost(Duration.ofSeconds(5)).until(() -> listener.contents().size() == 1);

    server.put("config/app/data", "a: 1"); // identical: Consul does not even bump the index
    server.put("config/other", "x"); // moves the table index, must not matter
    int before = server.requestCount();
    await().atMost(Duration.ofSeconds(10)).until(() -> server.requestCount() >= before + 3);

    assertThat(listener.events()).hasSize(1);
    // every one of those reads was a blocking query on an index >= 1
    List<RecordedRequest> requests = server.requests();
    for (RecordedRequest r : requests.subList(1, requests.size())) {
      assertThat(r.index()).as("%s", r).isPresent();
      assertThat(r.index().getAsLong()).isGreaterThanOrEqualTo(1);
      assertThat(r.queryParameter("wait")).contains("1s");
    }
  }

  @Test
  void missingKeyIsReportedThenDeliveredWhenCreated() {
    ConsulTestServer server = consul.server();
    RecordingListener listener = start(TestConfigs.key(server, "config/app/data").build());
    await().atMost(Duration.ofSeconds(5)).until(() -> listener.missing().size() == 1);
    assertThat(listener.missing().get(0)).contains("config/app/data").contains("does not exist");

    server.put("config/app/data", "a: 2");
    await().atMost(Duration.ofSeconds(5)).until(() -> listener.contents().size() == 1);
    assertThat(listener.lastContent()).isEqualTo(Map.of("a", 2L));
    assertThat(listener.events()).hasSize(2);
  }

  @Test
  void deletedKeyIsMissingByDefaultAndComesBack() {
    ConsulTestServer server = consul.server();
    server.put("config/app/data", "a: 1");
    RecordingListener listener = start(TestConfigs.key(server, "config/app/data").build());
    await().atMost(Duration.ofSeconds(5)).until(() -> listener.contents().size() == 1);

    server.delete("config/app/data");
    await().atMost(Duration.ofSeconds(5)).until(() -> listener.missing().size() == 1);
    assertThat(listener.last()).isInstanceOf(RecordingListener.Missing.class);

    server.put("config/app/data", "a: 1"); // same content as before the delete: delivered again
    await().atMost(Duration.ofSeconds(5)).until(() -> listener.contents().size() == 2);
    assertThat(listener.lastContent()).isEqualTo(Map.of("a", 1L));
  }

  @Test
  void deletedMeansEmptyWhenOptedIn() {
    ConsulTestServer server = consul.server();
    server.put("config/app/a", "1");
    RecordingListener listener =
        start(TestConfigs.prefix(server, "config/app").onMissing(MissingPolicy.EMPTY).build());
    await().atMost(Duration.ofSeconds(5)).until(() -> listener.contents().size() == 1);

    server.deletePrefix("config/app/");
    await().atMost(Duration.ofSeconds(5)).until(() -> listener.contents().size() == 2);
    assertThat(listener.lastContent()).isEqualTo(Map.of());
    assertThat(listener.missing()).isEmpty();
  }

  @Test
  void aValueThatDoesNotParseIsAFailureWithItsPositionAndIsNotRetried() {
    ConsulTestServer server = consul.server();
    server.put("config/app/data", "a: 1");
    RecordingListener listener = start(TestConfigs.key(server, "config/app/data").build());
    await().atMost(Duration.ofSeconds(5)).until(() -> listener.contents().size() == 1);

    long bad = server.put("config/app/data", "a: [1, 2\nb: 3\n");
    await().atMost(Duration.ofSeconds(5)).until(() -> listener.failures().size() == 1);
    assertThat(listener.failures().get(0)).startsWith("consul:config/app/data@" + bad + ":");
    int before = server.requestCount();
    await().atMost(Duration.ofSeconds(10)).until(() -> server.requestCount() >= before + 2);
    assertThat(listener.failures())
        .hasSize(1); // the same bad value is not reported on every wake-up

    server.put("config/app/data", "a: 3");
    await().atMost(Duration.ofSeconds(5)).until(() -> listener.contents().size() == 2);
    assertThat(listener.lastContent()).isEqualTo(Map.of("a", 3L));
  }

  @Test
  void parseErrorsHideWhatTheListenersRedactorHides() {
    ConsulTestServer server = consul.server();
    long bad = server.put("config/app/data", "card:\n  pin: *9876x\n");
    ConsulSource source = ConsulSource.create(TestConfigs.key(server, "config/app/data").build());
    sources.add(source);
    Redactor pins = Redactor.defaultsPlus("(^|\\.)pin$");
    RecordingListener listener =
        new RecordingListener() {
          @Override
          public Redactor redactor() {
            return pins;
          }
        };
    source.start(listener);

    await().atMost(Duration.ofSeconds(5)).until(() -> listener.failures().size() == 1);
    assertThat(listener.failures().get(0))
        .isEqualTo("consul:config/app/data@" + bad + ":2:8: found undefined alias");
  }

  @Test
  void consistencyAndDatacenterAreSent() throws Exception {
    ConsulTestServer server = consul.server();
    server.put("config/app/data", "a: 1");
    RecordingListener listener =
        start(
            TestConfigs.key(server, "config/app/data")
                .consistency(ConsistencyMode.STALE)
                .datacenter("dc1")
                .build());
    await().atMost(Duration.ofSeconds(5)).until(() -> listener.contents().size() == 1);
    RecordedRequest first = server.takeRequest();
    assertThat(first.hasQueryParameter("stale")).isTrue();
    assertThat(first.queryParameter("dc")).contains("dc1");
    assertThat(first.hasQueryParameter("index")).isFalse(); // index 0 is a plain read
  }
}
