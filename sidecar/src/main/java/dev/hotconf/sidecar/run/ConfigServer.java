package dev.hotconf.sidecar.run;

import dev.hotconf.ConfigNode;
import dev.hotconf.sidecar.internal.http.Exchange;
import dev.hotconf.sidecar.internal.http.HttpServerConfig;
import dev.hotconf.sidecar.internal.http.NioHttpServer;
import dev.hotconf.sidecar.internal.http.RequestHead;
import dev.hotconf.sidecar.internal.http.Response;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/*
 * Design: the sidecar's HTTP API on NioHttpServer. Every request goes through handle(), on the
 * server thread, which never blocks: Host check (no token: loopback names and IP addresses only,
 * 421), auth (all paths but /healthz when a token is set, 401), route (404), method (GET and HEAD;
 * /v1/pin also POST and DELETE; /v1/guard/allow POST only; else 405), who may change the sidecar's
 * state (POST, DELETE: 403, one rule, see mayChange), RequestParser's checks of key and parameters
 * (400), readiness (503). The server has already refused malformed or oversized requests (400, 413,
 * 414, 431, ...).
 *
 * /healthz, /readyz and /v1/config (bytes rendered once per version, Published) are answered at
 * once. A long poll that has nothing newer parks its exchange: no thread waits. Parked exchanges
 * are kept here by the version they wait to see exceeded (server thread only); publish() asks the
 * server thread to answer every one the new version satisfies, a parked poll's timer answers 304,
 * and one whose client leaves is forgotten. A key, /v1/status and /metrics (rendered per request,
 * may take locks) are computed on the server's worker pool, as are the history (copies kept
 * versions), the pin (writes the pin file) and POST /v1/guard/allow (it asks the pipeline to
 * validate the sources' content again).
 */
final class ConfigServer implements AutoCloseable {
  private final Publisher sidecar;
  private final byte[] token;
  private final NioHttpServer server;
  // server thread only: parked long polls by the version they wait to see exceeded
  private final TreeMap<Long, Set<Exchange>> parked = new TreeMap<>();
  private int parkedCount;

  ConfigServer(Publisher sidecar, HttpServerConfig config, String token) throws IOException {
    this.sidecar = sidecar;
    this.token = token == null ? null : token.getBytes(StandardCharsets.UTF_8);
    this.server = NioHttpServer.start(config, this::handle);
  }

  InetSocketAddress address() {
    return server.address();
  }

  NioHttpServer server() {
    return server;
  }

  /** A new version is live: answers the long polls waiting for it. Any thread. */
  void published() {
    server.execute(this::wakeParked);
  }

  /**
   * Stops accepting; parked long polls are answered 503; answers in progress get up to {@code
   * drain}.
   */
  void stop(Duration drain) {
    server.stop(drain);
  }

  @Override
  public void close() {
    server.close();
  }

  private void handle(Exchange ex) {
    RequestHead r = ex.request();
    if (token == null && !HostCheck.allowedWithoutToken(r.host())) {
      ex.respond(
          Response.error(
              421, "misdirected request: without a server token, Host must be localhost or an IP"));
      return;
    }
    String path = r.rawPath();
    if (!"/healthz".equals(path) && !authorized(r)) {
      ex.respond(
          Response.of(401, "text/plain", "missing or wrong bearer token\n")
              .header("WWW-Authenticate", "Bearer"));
      return;
    }
    if (RequestParser.route(path) == RequestParser.Route.NOT_FOUND) {
      ex.respond(Response.error(404, "not found"));
      return;
    }
    RequestParser.Route route = RequestParser.route(path);
    String allow = allowedMethods(route);
    if (!List.of(allow.split(", ")).contains(r.method())) {
      ex.respond(Response.error(405, "method not allowed").header("Allow", allow));
      return;
    }
    boolean read = r.method().equals("GET") || r.method().equals("HEAD");
    if (!read && !mayChange(token != null, ex.peer(), r.field("Origin"))) {
      ex.respond(
          Response.error(
              403, "changing what the sidecar serves needs the server token, or this host"));
      return;
    }
    if (route == RequestParser.Route.GUARD_ALLOW) {
      guardAllow(ex);
      return;
    }
    RequestParser.Request request;
    try {
      request = RequestParser.parse(path, r.rawQuery());
    } catch (RequestParser.BadRequest e) {
      // fixed text from the parser, never the request's own bytes
      ex.respond(Response.error(400, e.getMessage()));
      return;
    }
    switch (request.route()) {
      case HEALTHZ -> ex.respond(Response.of(200, "text/plain", "ok\n"));
      case READYZ ->
          ex.respond(
              sidecar.published() == null
                  ? Response.of(503, "text/plain", "not ready: no valid configuration yet\n")
                  : Response.of(200, "text/plain", "ready\n"));
      case CONFIG -> config(ex, request.poll());
      case KEY -> ex.respondLater(() -> key(request.key()));
      case STATUS ->
          ex.respondLater(() -> Response.of(200, "application/json", sidecar.statusJson()));
      case METRICS ->
          ex.respondLater(
              () ->
                  Response.of(
                      200, "text/plain; version=0.0.4; charset=utf-8", sidecar.metricsText()));
      case HISTORY ->
          ex.respondLater(
              () -> Response.of(200, "application/json", HistoryJson.list(sidecar.pinning())));
      case HISTORY_VERSION -> ex.respondLater(() -> historyVersion(request.version()));
      case PIN -> {
        String method = r.method();
        long version = request.version();
        ex.respondLater(() -> pin(method, version));
      }
      default -> ex.respond(Response.error(404, "not found"));
    }
  }

  /** The methods a route takes, as the {@code Allow} header lists them. */
  static String allowedMethods(RequestParser.Route route) {
    return switch (route) {
      case PIN -> "GET, HEAD, POST, DELETE";
      case GUARD_ALLOW -> "POST";
      default -> "GET, HEAD";
    };
  }

  /**
   * Whether a request may change the sidecar's state ({@code POST}/{@code DELETE /v1/pin}, {@code
   * POST /v1/guard/allow}), one rule for all: with a server token configured, the token decides (it
   * was checked before, for every path); without one, only a client on this host: a loopback peer,
   * and no {@code Origin} header (a browser on this host sends one with every POST a web page
   * makes, and a plain form POST needs no CORS preflight; curl and scripts send none). {@code Host}
   * has been checked for every path before (421).
   */
  static boolean mayChange(boolean tokenConfigured, InetAddress peer, String origin) {
    if (tokenConfigured) {
      return true;
    }
    return peer != null && peer.isLoopbackAddress() && origin == null;
  }

  /**
   * {@code POST /v1/guard/allow} with the header {@code X-Hotconf-Guard: allow} (a header no web
   * page can send across origins without a preflight this server never answers): lets the next
   * version through the shrink guard once and validates the sources' content again.
   */
  private void guardAllow(Exchange ex) {
    if (!"allow".equals(ex.request().field("X-Hotconf-Guard"))) {
      ex.respond(Response.error(400, "send the header X-Hotconf-Guard: allow"));
      return;
    }
    ex.respondLater(
        () ->
            sidecar.allowGuardOnce()
                ? Response.of(
                    200, "application/json", "{\"allowed\":\"next version\",\"rechecking\":true}\n")
                : Response.error(409, "no shrink guard is configured (guard: in sidecar.yaml)"));
  }

  private Response historyVersion(long version) {
    History.Entry e = sidecar.pinning().history().get(version).orElse(null);
    if (e == null) {
      return Response.error(404, "version not in the history");
    }
    return Response.of(200, "application/json", e.json())
        .header("ETag", "\"" + e.hash() + "\"")
        .header("X-Config-Version", Long.toString(e.version()))
        .header("Cache-Control", "no-cache");
  }

  /** /v1/pin on the worker pool (the pin file is written and synced there). */
  private Response pin(String method, long version) {
    switch (method) {
      case "POST" -> {
        if (version < 0) {
          return Response.error(400, "version is required");
        }
        try {
          sidecar.pin(version);
        } catch (Pinning.UnknownVersion e) {
          return Response.error(404, "version not in the history");
        } catch (IOException e) {
          return Response.error(500, "cannot write the pin file");
        }
      }
      case "DELETE" -> {
        try {
          sidecar.unpin();
        } catch (IOException e) {
          return Response.error(500, "cannot remove the pin file");
        }
      }
      default -> {
        // GET, HEAD: the pin as it stands
      }
    }
    return Response.of(
        200, "application/json", HistoryJson.pin(sidecar.pinning(), sidecar.published()));
  }

  private void config(Exchange ex, RequestParser.Poll poll) {
    Published p = sidecar.published();
    if (p == null) {
      ex.respond(Response.error(503, "no valid configuration yet"));
      return;
    }
    if (poll == null) {
      ex.respond(
          p.etag().equals(ex.request().field("If-None-Match"))
              ? versioned(Response.of(304, null, (byte[]) null), p)
              : full(p));
      return;
    }
    if (p.version() > poll.after()) {
      ex.respond(full(p));
    } else if (poll.maxWait().isZero()) {
      ex.respond(versioned(Response.of(304, null, (byte[]) null), p));
    } else {
      park(ex, poll);
    }
  }

  private void park(Exchange ex, RequestParser.Poll poll) {
    long after = poll.after();
    parked.computeIfAbsent(after, k -> new LinkedHashSet<>()).add(ex);
    parkedCount++;
    ex.park(
        poll.maxWait(),
        () -> {
          unpark(ex, after);
          ex.respond(versioned(Response.of(304, null, (byte[]) null), sidecar.published()));
        },
        () -> unpark(ex, after));
  }

  private void unpark(Exchange ex, long after) {
    Set<Exchange> waiting = parked.get(after);
    if (waiting != null && waiting.remove(ex)) {
      parkedCount--;
      if (waiting.isEmpty()) {
        parked.remove(after);
      }
    }
  }

  /** Server thread: answers every parked poll that the live version satisfies. */
  private void wakeParked() {
    Published p = sidecar.published();
    if (p == null) {
      return;
    }
    Map<Long, Set<Exchange>> due = parked.headMap(p.version(), false);
    List<Exchange> answer = new ArrayList<>();
    for (Set<Exchange> waiting : due.values()) {
      answer.addAll(waiting);
      parkedCount -= waiting.size();
    }
    due.clear();
    for (Exchange ex : answer) {
      ex.respond(full(p));
    }
  }

  /** Long polls parked now (server thread). */
  int parkedCount() {
    return parkedCount;
  }

  private static Response full(Published p) {
    return versioned(Response.of(200, "application/json", p.json()), p);
  }

  private static Response versioned(Response r, Published p) {
    return r.header("ETag", p.etag())
        .header("X-Config-Version", Long.toString(p.version()))
        .header("Cache-Control", "no-cache");
  }

  private Response key(String key) {
    Published p = sidecar.published();
    if (p == null) {
      return Response.error(503, "no valid configuration yet");
    }
    // the parser has checked the key's syntax: node() does not throw for it
    ConfigNode node = p.node(key).orElse(null);
    if (node == null) {
      return Response.error(404, "no such key");
    }
    return versioned(
        Response.of(200, "application/json", node.toJson().getBytes(StandardCharsets.UTF_8)), p);
  }

  private boolean authorized(RequestHead r) {
    if (token == null) {
      return true;
    }
    String header = r.field("Authorization");
    if (header == null || !header.startsWith("Bearer ")) {
      return false;
    }
    return MessageDigest.isEqual(
        token, header.substring(7).trim().getBytes(StandardCharsets.ISO_8859_1));
  }
}
