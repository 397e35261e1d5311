package dev.hotconf.sidecar.run;

import dev.hotconf.Redactor;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/**
 * POSTs the config JSON to a URL; any 2xx is delivered, anything else fails the attempt. The URL is
 * shown (status, metrics, logs, thread name, errors) without its user info and query values, which
 * often carry credentials ({@code https://user:pass@host/hook?token=...}), and, with {@code
 * redactPath}, without its path (webhook URLs such as {@code
 * https://hooks.example.com/services/T0/B0/secret} carry theirs there). User info in the URL is
 * sent as HTTP Basic authentication ({@code Authorization: Basic ...}, the percent-decoded {@code
 * user:password} in UTF-8), as browsers and curl do; the JDK client would silently drop it.
 */
final class HttpPushTarget implements PushTarget {
  private final URI url;
  private final String authorization;
  private final String display;
  private final Duration timeout;
  private final HttpClient client;

  HttpPushTarget(URI url, Duration timeout, HttpClient client) {
    this(url, timeout, client, false);
  }

  HttpPushTarget(URI url, Duration timeout, HttpClient client, boolean redactPath) {
    this.url = withoutUserInfo(url);
    this.authorization = basicAuthorization(url);
    this.display = display(url, redactPath);
    this.timeout = timeout;
    this.client = client;
  }

  /**
   * {@code url} without credentials: user info becomes {@code <redacted>@}, every query value
   * {@code <redacted>} (names are kept; a parameter without {@code =} is replaced whole), the
   * fragment is dropped. The path is kept, or with {@code redactPath} shown as {@code /<redacted>}.
   */
  static String display(URI url, boolean redactPath) {
    StringBuilder sb = new StringBuilder();
    sb.append(url.getScheme()).append("://");
    if (url.getRawUserInfo() != null) {
      sb.append(Redactor.REDACTED).append('@');
    }
    sb.append(url.getHost());
    if (url.getPort() >= 0) {
      sb.append(':').append(url.getPort());
    }
    String path = url.getRawPath();
    if (path != null && !path.isEmpty()) {
      sb.append(redactPath && !path.equals("/") ? "/" + Redactor.REDACTED : path);
    }
    String query = url.getRawQuery();
    if (query != null) {
      sb.append('?');
      String[] params = query.split("&", -1);
      for (int i = 0; i < params.length; i++) {
        int eq = params[i].indexOf('=');
        sb.append(i == 0 ? "" : "&")
            .append(
                eq < 0 ? Redactor.REDACTED : params[i].substring(0, eq + 1) + Redactor.REDACTED);
      }
    }
    return sb.toString();
  }

  /** The {@code Authorization} header value for the URL's user info, or null without one. */
  static String basicAuthorization(URI url) {
    String userInfo = url.getUserInfo(); // percent-decoded
    if (userInfo == null) {
      return null;
    }
    return "Basic " + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8));
  }

  private static URI withoutUserInfo(URI url) {
    if (url.getRawUserInfo() == null) {
      return url;
    }
    String raw = url.toString();
    int at = raw.indexOf(url.getRawUserInfo() + "@");
    return URI.create(raw.substring(0, at) + raw.substring(at + url.getRawUserInfo().length() + 1));
  }

  @Override
  public String name() {
    return display;
  }

  @Override
  public void deliver(Published p) throws Exception {
    HttpRequest.Builder builder = HttpRequest.newBuilder(url);
    if (authorization != null) {
      builder.header("Authorization", authorization);
    }
    HttpRequest request =
        builder
            .timeout(timeout)
            .header("Content-Type", "application/json")
            .header("X-Config-Version", Long.toString(p.version()))
            .header("ETag", p.etag())
            .POST(HttpRequest.BodyPublishers.ofByteArray(p.json()))
            .build();
    HttpResponse<Void> response = client.send(request, HttpResponse.BodyHandlers.discarding());
    int status = response.statusCode();
    if (status < 200 || status > 299) {
      throw new PushFailedException("HTTP " + status + " from " + display);
    }
  }

  /** A push attempt was answered with a non-2xx status. */
  static final class PushFailedException extends Exception {
    private static final long serialVersionUID = 1L;

    PushFailedException(String message) {
      super(message, null, false, false);
    }
  }
}
