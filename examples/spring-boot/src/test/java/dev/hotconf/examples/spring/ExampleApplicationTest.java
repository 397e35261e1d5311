package dev.hotconf.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hotconf.testing.files.FileReplacement;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The example application does what its README promises: the values of config/app.yaml over HTTP, a
 * valid edit live without a restart, an invalid one rejected with its position in the health answer
 * while the old values stay. It runs on a copy of config/app.yaml and on port 0.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class ExampleApplicationTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private final HttpClient http = HttpClient.newHttpClient();

  @TempDir Path dir;

  @Test
  void servesTheLiveValuesAndRejectsABadEdit() throws Exception {
    Path root = Path.of(System.getProperty("project.root", "../.."));
    String original = Files.readString(root.resolve("examples/spring-boot/config/app.yaml"));
    Path config = Files.writeString(dir.resolve("app.yaml"), original);
    try (ConfigurableApplicationContext app =
        SpringApplication.run(
            ExampleApplication.class,
            "--server.port=0",
            "--spring.main.banner-mode=off",
            "--EXAMPLE_APP_YAML=" + config)) {
      String port = app.getEnvironment().getProperty("local.server.port");
      assertThat(get(port, "/pool").body()).contains("\"max\":20");
      assertThat(get(port, "/greeting").body()).contains("Hello from hotconf");

      FileReplacement.renameOver(config, original.replace("max: 20", "max: 40"), ".tmp");
      await().atMost(WAIT).until(() -> get(port, "/pool").body().contains("\"max\":40"));

      FileReplacement.renameOver(config, original.replace("max: 20", "max: 9000"), ".tmp");
      await().atMost(WAIT).until(() -> get(port, "/actuator/health/hotconf").statusCode() == 503);
      HttpResponse<String> health = get(port, "/actuator/health/hotconf");
      assertThat(health.body())
          .contains("OUT_OF_SERVICE")
          .contains(
              "app.yaml:6:10: shop.pool.max: must be less than or equal to 500 but found 9000")
          .doesNotContain("change-me");
      assertThat(get(port, "/pool").body()).contains("\"max\":40");
      assertThat(get(port, "/actuator/hotconf").body()).doesNotContain("change-me");
    }
  }

  private HttpResponse<String> get(String port, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(10))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
