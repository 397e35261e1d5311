package dev.hotconf.spring;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** Starting real Spring Boot applications for the tests, on whichever Boot line is present. */
final class Apps {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  private Apps() {}

  /**
   * Runs {@code app} with {@code applicationYaml} as its only config file, as {@code java -jar
   * app.jar --spring.config.location=file:...} would, plus {@code args}.
   */
  static ConfigurableApplicationContext run(
      Class<?> app, WebApplicationType web, Path applicationYaml, String... args) {
    List<String> all = new ArrayList<>();
    all.add("--spring.config.location=file:" + applicationYaml.toAbsolutePath());
    all.add("--spring.main.banner-mode=off");
    all.addAll(List.of(args));
    return new SpringApplicationBuilder(app).web(web).run(all.toArray(new String[0]));
  }

  static Path write(Path file, String content) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    return Files.writeString(file, content);
  }

  /** GET on the application's own port (server.port=0) over loopback. */
  static HttpResponse<String> get(ConfigurableApplicationContext context, String path)
      throws IOException, InterruptedException {
    String port = context.getEnvironment().getProperty("local.server.port");
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(10))
            .GET()
            .build();
    return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
  }

  /** The first {@code type} in {@code e}'s cause chain (Boot wraps start-up failures). */
  static <T extends Throwable> T cause(Throwable e, Class<T> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
    }
    throw new AssertionError("no " + type.getSimpleName() + " in the cause chain of " + e, e);
  }
}
