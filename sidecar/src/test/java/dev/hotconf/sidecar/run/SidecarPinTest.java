package dev.hotconf.sidecar.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sidecar's history ({@code GET /v1/history}, {@code GET /v1/history/N}) and pin ({@code POST
 * /v1/pin?version=N}, {@code DELETE /v1/pin}): an operator's rollback on one host, served and
 * pushed, holding new versions back, kept across a restart.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SidecarPinTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  private final HttpClient http = HttpClient.newHttpClient();
  private SidecarProcess runner;
  private Receiver receiver;

  @AfterEach
  void stop() {
    if (runner != null) {
      runner.close();
    }
    if (receiver != null) {
      receiver.close();
    }
  }

  private void write(int max) throws Exception {
    Path tmp = dir.resolve("config/.app.yaml.tmp");
    Files.writeString(tmp, "db:\n  password: hunter2\n  pool:\n    max: " + max + "\n");
    Files.move(
        tmp,
        dir.resolve("config/app.yaml"),
        StandardCopyOption.ATOMIC_MOVE,
        StandardCopyOption.REPLACE_EXISTING);
  }

  private void start() throws Exception {
    start(false);
  }

  private void start(boolean withToken) throws Exception {
    Files.createDirectories(dir.resolve("config"));
    if (!Files.exists(dir.resolve("config/app.yaml"))) {
      write(10);
    }
    if (receiver == null) {
      receiver = new Receiver();
    }
    Path file = dir.resolve("sidecar.yaml");
    Files.writeString(
        file,
        String.join(
                "\n",
                "sources:",
                "  - type: file",
                "    path: config/app.yaml",
                "    debounce: 50ms",
                "server:",
                "  listen: 127.0.0.1:0",
                withToken ? "  token-file: secrets/token" : "",
                "targets:",
                "  - url: " + receiver.url(),
                "    timeout: 2s",
                "    max-backoff: 200ms",
                "last-known-good: state/app.json")
            + "\n");
    runner =
        SidecarProcess.load(
            file, false, new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
    runner.start();
  }

  private HttpResponse<String> send(String method, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + runner.address().getPort() + path))
            .method(method, HttpRequest.BodyPublishers.noBody())
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private JsonNode json(HttpResponse<String> r) throws Exception {
    return JSON.readTree(r.body());
  }

  private void awaitVersion(long v) {
    await().until(() -> runner.publisher().hotConfig().version() == v);
  }

  @Test
  void theHistoryListsEveryKeptVersionAndServesEachOne() throws Exception {
    start();
    write(20);
    awaitVersion(2);
    write(30);
    awaitVersion(3);

    JsonNode list = json(send("GET", "/v1/history"));
    assertThat(list.get("pinned").isNull()).isTrue();
    assertThat(list.get("versions"))
        .extracting(v -> v.get("version").asLong())
        .containsExactly(3L, 2L, 1L);
    assertThat(list.get("versions").get(0).get("origins").get(0).asText())
        .endsWith("config/app.yaml");
    assertThat(list.toString()).doesNotContain("hunter2");

    HttpResponse<String> old = send("GET", "/v1/history/1");
    assertThat(old.statusCode()).isEqualTo(200);
    assertThat(old.body()).isEqualTo("{\"db\":{\"password\":\"hunter2\",\"pool\":{\"max\":10}}}");
    assertThat(old.headers().firstValue("X-Config-Version")).hasValue("1");
    assertThat(old.headers().firstValue("ETag"))
        .hasValue("\"" + list.get("versions").get(2).get("hash").asText() + "\"");
    assertThat(send("GET", "/v1/history/9").statusCode()).isEqualTo(404);
    assertThat(send("GET", "/v1/history/x").statusCode()).isEqualTo(400);
  }

  @Test
  void aPinServesAndPushesTheOldVersionHoldsNewOnesBackAndSurvivesARestart() throws Exception {
    start();
    write(20);
    awaitVersion(2);
    await().until(() -> receiver.delivered().contains(2L));

    HttpResponse<String> pinned = send("POST", "/v1/pin?version=1");
    assertThat(pinned.statusCode()).isEqualTo(200);
    assertThat(json(pinned).get("pinned").asLong()).isEqualTo(1);
    assertThat(json(pinned).get("persistent").asBoolean()).isTrue();
    HttpResponse<String> config = send("GET", "/v1/config");
    assertThat(config.body()).contains("\"max\":10");
    assertThat(config.headers().firstValue("X-Config-Version"))
        .as("served under the next version: long polls and targets take it")
        .hasValue("3");
    await().until(() -> receiver.delivered().contains(3L));
    assertThat(receiver.pushes.get(receiver.pushes.size() - 1).body()).contains("\"max\":10");
    assertThat(send("GET", "/v1/status").body()).contains("\"pin\" : {", "\"version\" : 1");
    assertThat(send("GET", "/metrics").body())
        .contains("hotconf_pinned 1", "hotconf_pinned_version 1", "hotconf_served_version 3");

    write(40); // a new version arrives: validated and kept, not served
    awaitVersion(3);
    assertThat(send("GET", "/v1/config").body()).contains("\"max\":10");
    assertThat(json(send("GET", "/v1/history")).get("versions").get(0).get("version").asLong())
        .isEqualTo(3);

    runner.close(); // a restart keeps the pin
    start();
    assertThat(send("GET", "/v1/config").body()).contains("\"max\":10");
    assertThat(json(send("GET", "/v1/pin")).get("pinned").asLong()).isEqualTo(1);
    assertThat(Files.exists(dir.resolve("state/app.json.pin"))).isTrue();

    HttpResponse<String> lifted = send("DELETE", "/v1/pin");
    assertThat(lifted.statusCode()).isEqualTo(200);
    assertThat(json(lifted).get("pinned").isNull()).isTrue();
    assertThat(send("GET", "/v1/config").body()).contains("\"max\":40");
    assertThat(Files.exists(dir.resolve("state/app.json.pin"))).isFalse();
    assertThat(send("GET", "/metrics").body()).contains("hotconf_pinned 0");
  }

  @Test
  void badPinRequestsAreRefused() throws Exception {
    start();

    assertThat(send("POST", "/v1/pin?version=7").statusCode()).isEqualTo(404);
    assertThat(send("POST", "/v1/pin").statusCode()).isEqualTo(400);
    assertThat(send("POST", "/v1/pin?version=-1").statusCode()).isEqualTo(400);
    HttpResponse<String> put = send("PUT", "/v1/pin?version=1");
    assertThat(put.statusCode()).isEqualTo(405);
    assertThat(put.headers().firstValue("Allow")).hasValue("GET, HEAD, POST, DELETE");
    assertThat(send("POST", "/v1/config").statusCode()).isEqualTo(405);
    assertThat(send("DELETE", "/v1/pin").statusCode()).as("nothing pinned: fine").isEqualTo(200);
  }

  @Test
  void withATokenPinningNeedsItAndWithoutOneOnlyThisHostMayPin() throws Exception {
    Files.createDirectories(dir.resolve("secrets"));
    Files.writeString(dir.resolve("secrets/token"), "s3cr3t-server-token\n");
    start(true);

    assertThat(send("POST", "/v1/pin?version=1").statusCode()).isEqualTo(401);

    assertThat(ConfigServer.mayChangePin(false, InetAddress.getByName("127.0.0.1"))).isTrue();
    assertThat(ConfigServer.mayChangePin(false, InetAddress.getByName("::1"))).isTrue();
    assertThat(ConfigServer.mayChangePin(false, InetAddress.getByName("10.1.2.3"))).isFalse();
    assertThat(ConfigServer.mayChangePin(true, InetAddress.getByName("10.1.2.3"))).isTrue();
  }
}
