package dev.hotconf.sidecar.run;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** POSTs the config JSON to a URL; any 2xx is delivered, anything else fails the attempt. */
final class HttpPushTarget implements PushTarget {
  private final URI url;
  private final Duration timeout;
  private final HttpClient client;

  HttpPushTarget(URI url, Duration timeout, HttpClient client) {
    this.url = url;
    this.timeout = timeout;
    this.client = client;
  }

  @Override
  public String name() {
    return url.toString();
  }

  @Override
  public void deliver(Published p) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(url)
        .timeout(timeout)
        .header("Content-Type", "application/json")
        .header("X-Config-Version", Long.toString(p.version()))
        .header("ETag", p.etag())
        .POST(HttpRequest.BodyPublishers.ofByteArray(p.json()))
        .build();
    HttpResponse<Void> response = client.send(request, HttpResponse.BodyHandlers.discarding());
    int status = response.statusCode();
    if (status < 200 || status > 299) {
      throw new PushFailedException("HTTP " + status + " from " + url);
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
