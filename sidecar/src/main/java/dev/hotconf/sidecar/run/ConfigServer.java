package dev.hotconf.sidecar.run;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.hotconf.ConfigNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/*
 * Design: the JDK's HttpServer on a bounded pool of daemon threads. The JDK enforces the header
 * limits and request time set below (closing the connection). Every request then goes through one
 * handler: body size limit, then auth (all paths but /healthz when a token is set), then route (404),
 * method (GET and HEAD only), then RequestParser's checks of key and parameters (400), then
 * readiness (503). /v1/config serves bytes rendered once per version (Published);
 * long polls wait on the Publisher's monitor, which is notified on every publish.
 */
final class ConfigServer implements AutoCloseable {
  /** Most distinct header names a request may have (the JDK's default is 200). */
  static final int MAX_REQUEST_HEADERS = 64;

  /**
   * Most bytes of request line and headers (the JDK counts each header's name and value plus 32;
   * its default is 380 KiB).
   */
  static final int MAX_REQUEST_HEADER_BYTES = 16 * 1024;

  /**
   * Most seconds from a request's first byte to having read all of it (the JDK's default: none); it
   * also bounds how long a new connection may stay silent (plus up to one 10 s idle-timer tick).
   */
  static final int MAX_REQUEST_SECONDS = 10;

  static {
    // The JDK HTTP server reads these when its first server is created; an explicit -D setting
    // wins.
    // nodelay: it leaves Nagle's algorithm on unless told; with the client's delayed ACK that adds
    // ~40 ms to every answer on Linux loopback. Real Consul (and any server worth measuring) sets
    // TCP_NODELAY. The limits: a request over them has its connection closed without an answer.
    setIfAbsent("sun.net.httpserver.nodelay", "true");
    setIfAbsent("sun.net.httpserver.maxReqHeaders", Integer.toString(MAX_REQUEST_HEADERS));
    setIfAbsent("sun.net.httpserver.maxReqHeaderSize", Integer.toString(MAX_REQUEST_HEADER_BYTES));
    setIfAbsent("sun.net.httpserver.maxReqTime", Integer.toString(MAX_REQUEST_SECONDS));
  }

  static final int MAX_BODY_BYTES = 1024;
  static final int MAX_LONG_POLLS = 48;

  private final Publisher sidecar;
  private final byte[] token;
  private final HttpServer server;
  private final ExecutorService executor;
  private final Semaphore longPolls = new Semaphore(MAX_LONG_POLLS);

  ConfigServer(Publisher sidecar, InetSocketAddress listen, String token) throws IOException {
    this.sidecar = sidecar;
    this.token = token == null ? null : token.getBytes(StandardCharsets.UTF_8);
    this.server = HttpServer.create(listen, 64);
    AtomicInteger n = new AtomicInteger();
    this.executor =
        new ThreadPoolExecutor(
            2,
            64,
            30,
            TimeUnit.SECONDS,
            new SynchronousQueue<>(),
            r -> {
              Thread t = new Thread(r, "hotconf-http-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            },
            (r, pool) -> {
              // saturated by short requests: run on the dispatcher thread (back-pressure on
              // accepting);
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

  private static void setIfAbsent(String property, String value) {
    if (System.getProperty(property) == null) {
      System.setProperty(property, value);
    }
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      if (!bodyWithinLimit(ex)) {
        send(ex, 413, "text/plain", "request body too large\n");
        return;
      }
      String path = ex.getRequestURI().getRawPath();
      if (!"/healthz".equals(path) && !authorized(ex)) {
        ex.getResponseHeaders().set("WWW-Authenticate", "Bearer");
        send(ex, 401, "text/plain", "missing or wrong bearer token\n");
        return;
      }
      if (RequestParser.route(path) == RequestParser.Route.NOT_FOUND) {
        send(ex, 404, "application/json", "{\"error\":\"not found\"}\n");
        return;
      }
      String method = ex.getRequestMethod();
      boolean pin = RequestParser.route(path) == RequestParser.Route.PIN;
      boolean allowed =
          method.equals("GET")
              || method.equals("HEAD")
              || (pin && (method.equals("POST") || method.equals("DELETE")));
      if (!allowed) {
        ex.getResponseHeaders().set("Allow", pin ? "GET, HEAD, POST, DELETE" : "GET, HEAD");
        send(ex, 405, "application/json", "{\"error\":\"method not allowed\"}\n");
        return;
      }
      if (pin
          && !method.equals("GET")
          && !method.equals("HEAD")
          && token == null
          && !ex.getRemoteAddress().getAddress().isLoopbackAddress()) {
        // without a server token, only a process on this host may change what is served
        send(
            ex,
            403,
            "application/json",
            "{\"error\":\"pinning needs the server token, or a request from this host\"}\n");
        return;
      }
      RequestParser.Request request;
      try {
        request = RequestParser.parse(path, ex.getRequestURI().getRawQuery());
      } catch (RequestParser.BadRequest e) {
        // fixed text from the parser, never the request's own bytes
        send(ex, 400, "application/json", "{\"error\":\"" + e.getMessage() + "\"}\n");
        return;
      }
      route(ex, request);
    } catch (RuntimeException e) {
      send(ex, 500, "application/json", "{\"error\":\"internal error\"}\n");
    }
  }

  private void route(HttpExchange ex, RequestParser.Request request) throws IOException {
    switch (request.route()) {
      case HEALTHZ -> send(ex, 200, "text/plain", "ok\n");
      case READYZ -> {
        if (sidecar.published() == null) {
          send(ex, 503, "text/plain", "not ready: no valid configuration yet\n");
        } else {
          send(ex, 200, "text/plain", "ready\n");
        }
      }
      case METRICS ->
          send(ex, 200, "text/plain; version=0.0.4; charset=utf-8", sidecar.metricsText());
      case STATUS -> send(ex, 200, "application/json", sidecar.statusJson());
      case CONFIG -> config(ex, request.poll());
      case KEY -> key(ex, request.key());
      case HISTORY -> send(ex, 200, "application/json", HistoryJson.list(sidecar.pinning()));
      case HISTORY_VERSION -> historyVersion(ex, request.version());
      case PIN -> pin(ex, request.version());
      default -> send(ex, 404, "application/json", "{\"error\":\"not found\"}\n");
    }
  }

  private void config(HttpExchange ex, RequestParser.Poll poll) throws IOException {
    Published p = sidecar.published();
    if (p == null) {
      send(ex, 503, "application/json", "{\"error\":\"no valid configuration yet\"}\n");
      return;
    }
    if (poll != null) {
      long after = poll.after();
      if (p.version() <= after) {
        if (!longPolls.tryAcquire()) {
          ex.getResponseHeaders().set("Retry-After", "1");
          send(ex, 503, "application/json", "{\"error\":\"too many long polls in progress\"}\n");
          return;
        }
        try {
          p = sidecar.awaitNewerThan(after, poll.maxWait());
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
    // the parser has checked the key's syntax: node() does not throw for it
    ConfigNode node = p.node(key).orElse(null);
    if (node == null) {
      send(ex, 404, "application/json", "{\"error\":\"no such key\"}\n");
      return;
    }
    headers(ex, p);
    sendBytes(ex, 200, "application/json", node.toJson().getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Whether a request may pin or unpin: with a server token, any authorized request (the token was
   * checked before); without one, only a peer on this host.
   */
  static boolean mayChangePin(boolean tokenConfigured, java.net.InetAddress peer) {
    return tokenConfigured || peer.isLoopbackAddress();
  }

  private void historyVersion(HttpExchange ex, long version) throws IOException {
    History.Entry e = sidecar.pinning().history().get(version).orElse(null);
    if (e == null) {
      send(ex, 404, "application/json", "{\"error\":\"version not in the history\"}\n");
      return;
    }
    ex.getResponseHeaders().set("ETag", "\"" + e.hash() + "\"");
    ex.getResponseHeaders().set("X-Config-Version", Long.toString(e.version()));
    ex.getResponseHeaders().set("Cache-Control", "no-cache");
    sendBytes(ex, 200, "application/json", e.json());
  }

  private void pin(HttpExchange ex, long version) throws IOException {
    switch (ex.getRequestMethod()) {
      case "POST" -> {
        if (version == 0) {
          send(ex, 400, "application/json", "{\"error\":\"version is required\"}\n");
          return;
        }
        try {
          sidecar.pin(version);
        } catch (Pinning.UnknownVersion e) {
          send(ex, 404, "application/json", "{\"error\":\"version not in the history\"}\n");
          return;
        } catch (IOException e) {
          send(ex, 500, "application/json", "{\"error\":\"cannot write the pin file\"}\n");
          return;
        }
      }
      case "DELETE" -> {
        try {
          sidecar.unpin();
        } catch (IOException e) {
          send(ex, 500, "application/json", "{\"error\":\"cannot remove the pin file\"}\n");
          return;
        }
      }
      default -> {
        // GET, HEAD: the pin as it stands
      }
    }
    send(ex, 200, "application/json", HistoryJson.pin(sidecar.pinning(), sidecar.published()));
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
    return MessageDigest.isEqual(
        token, header.substring(7).trim().getBytes(StandardCharsets.UTF_8));
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

  private static void send(HttpExchange ex, int status, String type, String body)
      throws IOException {
    sendBytes(ex, status, type, body.getBytes(StandardCharsets.UTF_8));
  }

  private static void sendBytes(HttpExchange ex, int status, String type, byte[] body)
      throws IOException {
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
