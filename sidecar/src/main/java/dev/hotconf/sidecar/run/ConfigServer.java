package dev.hotconf.sidecar.run;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.hotconf.ConfigNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/*
 * Design: the JDK's HttpServer on a bounded pool of daemon threads. Every request goes through one
 * handler: size limits, then auth (all paths but /healthz when a token is set), then method (GET
 * and HEAD only), then routing. /v1/config serves bytes rendered once per version (Published);
 * long polls wait on the Sidecar's monitor, which is notified on every publish.
 */
final class ConfigServer implements AutoCloseable {
  static {
    // The JDK HTTP server leaves Nagle's algorithm on unless this is set before its first use; with
    // the client's delayed ACK that adds ~40 ms to every answer on Linux loopback. Real Consul (and
    // any server worth measuring) sets TCP_NODELAY. An explicit -D setting wins.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }

  static final int MAX_BODY_BYTES = 1024;
  static final Duration MAX_POLL_WAIT = Duration.ofMinutes(5);
  static final int MAX_LONG_POLLS = 48;
  private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m)");

  private final Sidecar sidecar;
  private final byte[] token;
  private final HttpServer server;
  private final ExecutorService executor;
  private final Semaphore longPolls = new Semaphore(MAX_LONG_POLLS);

  ConfigServer(Sidecar sidecar, InetSocketAddress listen, String token) throws IOException {
    this.sidecar = sidecar;
    this.token = token == null ? null : token.getBytes(StandardCharsets.UTF_8);
    this.server = HttpServer.create(listen, 64);
    AtomicInteger n = new AtomicInteger();
    this.executor = new ThreadPoolExecutor(2, 64, 30, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
      Thread t = new Thread(r, "hotconf-http-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    }, (r, pool) -> {
      // saturated by short requests: run on the dispatcher thread (back-pressure on accepting);
      // long polls never get here, they are capped by longPolls below
      r.run();
    });
    server.setExecutor(executor);
    server.createContext("/", this::handle);
  }

  void start() {
    server.start();
  }

  InetSocketAddress address() {
    return server.getAddress();
  }

  /** Stops accepting; waits up to {@code grace} for exchanges in progress. */
  void stop(Duration grace) {
    server.stop((int) Math.min(Integer.MAX_VALUE, Math.max(0, grace.toSeconds())));
    executor.shutdownNow();
  }

  @Override
  public void close() {
    stop(Duration.ZERO);
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      if (!bodyWithinLimit(ex)) {
        send(ex, 413, "text/plain", "request body too large\n");
        return;
      }
      String path = ex.getRequestURI().getRawPath();
      if (!path.equals("/healthz") && !authorized(ex)) {
        ex.getResponseHeaders().set("WWW-Authenticate", "Bearer");
        send(ex, 401, "text/plain", "missing or wrong bearer token\n");
        return;
      }
      String method = ex.getRequestMethod();
      boolean known = path.equals("/healthz") || path.equals("/readyz") || path.equals("/metrics")
          || path.equals("/v1/status") || path.equals("/v1/config") || path.startsWith("/v1/config/");
      if (!known) {
        send(ex, 404, "application/json", "{\"error\":\"not found\"}\n");
        return;
      }
      if (!method.equals("GET") && !method.equals("HEAD")) {
        ex.getResponseHeaders().set("Allow", "GET, HEAD");
        send(ex, 405, "application/json", "{\"error\":\"method not allowed\"}\n");
        return;
      }
      route(ex, path);
    } catch (RuntimeException e) {
      send(ex, 500, "application/json", "{\"error\":\"internal error\"}\n");
    }
  }

  private void route(HttpExchange ex, String path) throws IOException {
    switch (path) {
      case "/healthz" -> send(ex, 200, "text/plain", "ok\n");
      case "/readyz" -> {
        if (sidecar.published() == null) {
          send(ex, 503, "text/plain", "not ready: no valid configuration yet\n");
        } else {
          send(ex, 200, "text/plain", "ready\n");
        }
      }
      case "/metrics" -> send(ex, 200, "text/plain; version=0.0.4; charset=utf-8", sidecar.metricsText());
      case "/v1/status" -> send(ex, 200, "application/json", sidecar.statusJson());
      case "/v1/config" -> config(ex);
      default -> key(ex, URLDecoder.decode(path.substring("/v1/config/".length()), StandardCharsets.UTF_8));
    }
  }

  private void config(HttpExchange ex) throws IOException {
    Map<String, String> query = query(ex);
    Published p = sidecar.published();
    if (p == null) {
      send(ex, 503, "application/json", "{\"error\":\"no valid configuration yet\"}\n");
      return;
    }
    if (query.containsKey("version")) {
      long after;
      Duration wait;
      try {
        after = Long.parseLong(query.get("version"));
        wait = duration(query.getOrDefault("wait", "30s"));
      } catch (IllegalArgumentException e) {
        send(ex, 400, "application/json", "{\"error\":\"version must be a number and wait a duration like 30s\"}\n");
        return;
      }
      if (p.version() <= after) {
        if (!longPolls.tryAcquire()) {
          ex.getResponseHeaders().set("Retry-After", "1");
          send(ex, 503, "application/json", "{\"error\":\"too many long polls in progress\"}\n");
          return;
        }
        try {
          p = sidecar.awaitNewerThan(after, wait.compareTo(MAX_POLL_WAIT) > 0 ? MAX_POLL_WAIT : wait);
        } finally {
          longPolls.release();
        }
      }
      if (p.version() <= after) {
        headers(ex, p);
        ex.sendResponseHeaders(304, -1);
        return;
      }
    } else if (p.etag().equals(ex.getRequestHeaders().getFirst("If-None-Match"))) {
      headers(ex, p);
      ex.sendResponseHeaders(304, -1);
      return;
    }
    headers(ex, p);
    sendBytes(ex, 200, "application/json", p.json());
  }

  private void key(HttpExchange ex, String key) throws IOException {
    Published p = sidecar.published();
    if (p == null) {
      send(ex, 503, "application/json", "{\"error\":\"no valid configuration yet\"}\n");
      return;
    }
    ConfigNode node;
    try {
      node = p.snapshot().node(key).orElse(null);
    } catch (IllegalArgumentException e) {
      send(ex, 400, "application/json", "{\"error\":\"malformed key\"}\n");
      return;
    }
    if (node == null) {
      send(ex, 404, "application/json", "{\"error\":\"no such key\"}\n");
      return;
    }
    headers(ex, p);
    sendBytes(ex, 200, "application/json", node.toJson().getBytes(StandardCharsets.UTF_8));
  }

  private static void headers(HttpExchange ex, Published p) {
    ex.getResponseHeaders().set("ETag", p.etag());
    ex.getResponseHeaders().set("X-Config-Version", Long.toString(p.version()));
    ex.getResponseHeaders().set("Cache-Control", "no-cache");
  }

  private boolean authorized(HttpExchange ex) {
    if (token == null) {
      return true;
    }
    String header = ex.getRequestHeaders().getFirst("Authorization");
    if (header == null || !header.startsWith("Bearer ")) {
      return false;
    }
    return MessageDigest.isEqual(token, header.substring(7).trim().getBytes(StandardCharsets.UTF_8));
  }

  private static boolean bodyWithinLimit(HttpExchange ex) throws IOException {
    String length = ex.getRequestHeaders().getFirst("Content-Length");
    if (length != null) {
      try {
        if (Long.parseLong(length.trim()) > MAX_BODY_BYTES) {
          return false;
        }
      } catch (NumberFormatException e) {
        return false;
      }
    }
    InputStream in = ex.getRequestBody();
    byte[] buffer = new byte[512];
    long total = 0;
    int r;
    while ((r = in.read(buffer)) >= 0) {
      total += r;
      if (total > MAX_BODY_BYTES) {
        return false;
      }
    }
    return true;
  }

  private static Map<String, String> query(HttpExchange ex) {
    Map<String, String> out = new HashMap<>();
    String raw = ex.getRequestURI().getRawQuery();
    if (raw == null) {
      return out;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      out.putIfAbsent(k, v);
    }
    return out;
  }

  static Duration duration(String text) {
    Matcher m = DURATION.matcher(text);
    if (!m.matches()) {
      throw new IllegalArgumentException("bad duration");
    }
    try {
      long v = Long.parseLong(m.group(1));
      return switch (m.group(2)) {
        case "ms" -> Duration.ofMillis(v);
        case "s" -> Duration.ofSeconds(v);
        default -> Duration.ofMinutes(v);
      };
    } catch (ArithmeticException | NumberFormatException e) {
      throw new IllegalArgumentException("duration out of range", e);
    }
  }

  private static void send(HttpExchange ex, int status, String type, String body) throws IOException {
    sendBytes(ex, status, type, body.getBytes(StandardCharsets.UTF_8));
  }

  private static void sendBytes(HttpExchange ex, int status, String type, byte[] body) throws IOException {
    ex.getResponseHeaders().set("Content-Type", type);
    if (ex.getRequestMethod().equals("HEAD")) {
      ex.sendResponseHeaders(status, -1);
      return;
    }
    ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(body);
    }
  }
}
