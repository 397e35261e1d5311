package dev.hotconf.testing.consul;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;

/**
 * A plain java.net.http client talking to a {@link ConsulTestServer}, as a Consul client library
 * would.
 */
final class ConsulHttp {

  /** Shared by all tests: one selector thread for the whole run. */
  static final HttpClient CLIENT = newClient();

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final ConsulTestServer server;
  private final HttpClient client;

  ConsulHttp(ConsulTestServer server) {
    this(server, CLIENT);
  }

  ConsulHttp(ConsulTestServer server, HttpClient client) {
    this.server = server;
    this.client = client;
  }

  static HttpClient newClient() {
    return HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5))
        .build();
  }

  HttpRequest.Builder request(String pathAndQuery, String... headers) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(server.uri(pathAndQuery)).timeout(Duration.ofSeconds(60));
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return b;
  }

  HttpResponse<String> get(String pathAndQuery, String... headers)
      throws IOException, InterruptedException {
    return client.send(
        request(pathAndQuery, headers).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<byte[]> getBytes(String pathAndQuery) throws IOException, InterruptedException {
    return client.send(
        request(pathAndQuery).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  CompletableFuture<HttpResponse<String>> getAsync(String pathAndQuery, String... headers) {
    return client.sendAsync(
        request(pathAndQuery, headers).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> put(String pathAndQuery, String body, String... headers)
      throws IOException, InterruptedException {
    return put(pathAndQuery, body.getBytes(StandardCharsets.UTF_8), headers);
  }

  HttpResponse<String> put(String pathAndQuery, byte[] body, String... headers)
      throws IOException, InterruptedException {
    return client.send(
        request(pathAndQuery, headers).PUT(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> delete(String pathAndQuery, String... headers)
      throws IOException, InterruptedException {
    return client.send(
        request(pathAndQuery, headers).DELETE().build(), HttpResponse.BodyHandlers.ofString());
  }

  /** The X-Consul-Index header as a number (fails the test when missing). */
  static long index(HttpResponse<?> response) {
    return Long.parseUnsignedLong(
        response
            .headers()
            .firstValue("X-Consul-Index")
            .orElseThrow(
                () -> new AssertionError("no X-Consul-Index in " + response.headers().map())));
  }

  static JsonNode json(HttpResponse<String> response) {
    try {
      return MAPPER.readTree(response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonNode parse(String body) throws IOException {
    return MAPPER.readTree(body);
  }

  /** The decoded Value of a KV entry JSON object (null stays null). */
  static String value(JsonNode entry) {
    JsonNode v = entry.get("Value");
    return v == null || v.isNull()
        ? null
        : new String(Base64.getDecoder().decode(v.asText()), StandardCharsets.UTF_8);
  }
}
