package dev.hotconf.consul.rollout;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/** {@link HealthProbe#url}: a GET whose 2xx answer means healthy. */
final class UrlHealthProbe implements HealthProbe {
  private final URI url;
  private final Duration timeout;
  private final String display;
  private final HttpClient client;

  UrlHealthProbe(URI url, Duration timeout) {
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(timeout, "timeout");
    check(url);
    if (timeout.isZero() || timeout.isNegative()) {
      throw new IllegalArgumentException("timeout: must be positive");
    }
    this.url = url;
    this.timeout = timeout;
    this.display = display(url);
    this.client =
        HttpClient.newBuilder()
            .connectTimeout(timeout)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  /** Checks what {@link HealthProbe#url} accepts; messages never contain the URL's secrets. */
  static void check(URI url) {
    String scheme = url.getScheme();
    if (!"http".equalsIgnoreCase(scheme) && !"https".equalsIgnoreCase(scheme)) {
      throw new IllegalArgumentException("must be an http:// or https:// URL");
    }
    if (url.getHost() == null) {
      throw new IllegalArgumentException("must name a host");
    }
    if (url.getRawUserInfo() != null) {
      throw new IllegalArgumentException("must not contain user info");
    }
  }

  /** scheme://host:port/path: what messages show (no user info, query or fragment). */
  static String display(URI url) {
    return url.getScheme()
        + "://"
        + url.getHost()
        + (url.getPort() < 0 ? "" : ":" + url.getPort())
        + (url.getRawPath() == null ? "" : url.getRawPath());
  }

  @Override
  public Optional<String> check() throws InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(url).timeout(timeout).GET().build();
    try {
      HttpResponse<Void> r = client.send(request, HttpResponse.BodyHandlers.discarding());
      if (r.statusCode() / 100 == 2) {
        return Optional.empty();
      }
      return Optional.of("health probe " + display + " answered " + r.statusCode());
    } catch (IOException e) {
      return Optional.of("health probe " + display + ": " + e.getClass().getSimpleName());
    }
  }

  @Override
  public String toString() {
    return "HealthProbe[GET " + display + "]";
  }
}
