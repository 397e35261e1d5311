package dev.hotconf.testing.consul;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * Serves {@code /v1/kv/...} the way Consul's {@code agent/kvs_endpoint.go} does (and {@code
 * /v1/session/...} through {@link SessionEndpoints}), applies faults and records every request.
 */
final class ConsulHttpHandler implements HttpHandler {

  static final String KV_PREFIX = "/v1/kv/";

  private static final String JSON = "application/json";
  private static final String TEXT = "text/plain; charset=utf-8";

  private final ConsulTestServer server;

  ConsulHttpHandler(ConsulTestServer server) {
    this.server = server;
  }

  /** An answer under construction. */
  private static final class Response {
    int status;
    final Map<String, String> headers = new LinkedHashMap<>();
    byte[] body;

    /** Whether Consul's query meta headers are set (successful KV reads and their 404s). */
    boolean meta;

    long index;

    Response(int status, String contentType, byte[] body) {
      this.status = status;
      this.body = body;
      if (contentType != null) {
        headers.put("Content-Type", contentType);
      }
    }

    static Response text(int status, String text) {
      return new Response(status, TEXT, text.getBytes(StandardCharsets.UTF_8));
    }

    static Response json(int status, String json) {
      return new Response(status, JSON, json.getBytes(StandardCharsets.UTF_8));
    }
  }

  /** What we know about the request being served. */
  private static final class Call {
    String method;
    String path;
    String rawPath;
    String rawQuery;
    Map<String, List<String>> params;
    Headers headers;
    byte[] body;
    Fault fault;
    Duration blockingTimeout;
    Duration wait;
    long minIndex;
    long sequence;
    long startNanos;
    Instant receivedAt;
    boolean recorded;

    /** Counted down when the server is suspended or closed: pauses end, the answer is dropped. */
    CountDownLatch down;

    boolean has(String name) {
      return params.containsKey(name);
    }

    String param(String name) {
      List<String> values = params.get(name);
      return values == null || values.isEmpty() ? null : values.get(0);
    }
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    Call call = new Call();
    call.startNanos = System.nanoTime();
    call.receivedAt = Instant.now();
    call.sequence = server.log().nextSequence();
    call.down = server.downLatch();
    URI uri = exchange.getRequestURI();
    call.method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
    call.path = uri.getPath() == null ? "" : uri.getPath();
    call.rawPath = uri.getRawPath() == null ? "" : uri.getRawPath();
    call.rawQuery = uri.getRawQuery() == null ? "" : uri.getRawQuery();
    call.params = parseQuery(call.rawQuery);
    call.headers = exchange.getRequestHeaders();
    call.body = new byte[0];
    try {
      call.body = exchange.getRequestBody().readAllBytes();
      call.fault = server.faults().poll(call.method, call.path);
      serve(exchange, call);
    } catch (KvStore.ClosedException | IOException e) {
      // server closing or client gone: the connection is closed without (complete) answer
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      if (!call.recorded) {
        sendSafely(exchange, call, Response.text(500, "ConsulTestServer internal error: " + e));
      }
    } finally {
      if (!call.recorded) {
        record(call, RecordedRequest.NO_RESPONSE);
      }
      exchange
          .close(); // without a prior sendResponseHeaders this closes the socket: no answer at all
    }
  }

  /**
   * Adds the request to the log. Called before the answer is sent, so a client that sees the answer
   * and sends the next request can rely on the log order.
   */
  private void record(Call call, int status) {
    call.recorded = true;
    server
        .log()
        .add(
            new RecordedRequest(
                call.sequence,
                call.method,
                call.path,
                call.rawQuery,
                call.params,
                call.headers,
                call.body,
                call.receivedAt,
                Duration.ofNanos(System.nanoTime() - call.startNanos),
                status,
                call.fault,
                call.blockingTimeout));
  }

  /** Serves the call; every path that answers records the request first. */
  private void serve(HttpExchange exchange, Call call) throws IOException, InterruptedException {
    Fault fault = call.fault;
    if (fault != null && !server.pause(fault.delay(), call.down)) {
      return; // closed during the delay
    }
    if (fault != null && fault.kind() == Fault.Kind.CONNECTION_RESET) {
      record(call, RecordedRequest.NO_RESPONSE);
      return;
    }
    if (fault != null && fault.kind() == Fault.Kind.HANG) {
      server.hang(call.down);
      record(call, RecordedRequest.NO_RESPONSE);
      return;
    }
    Response response;
    if (fault != null && fault.kind() == Fault.Kind.STATUS) {
      response = new Response(fault.statusCode(), TEXT, fault.bodyBytes());
    } else {
      boolean mayBlock =
          fault == null
              || (fault.kind() != Fault.Kind.INDEX_BACKWARDS
                  && fault.kind() != Fault.Kind.FIXED_INDEX
                  && fault.kind() != Fault.Kind.GARBAGE_BODY);
      response = route(call, mayBlock);
      if (fault != null) {
        decorate(response, fault, call);
      }
    }
    if (fault != null && fault.kind() == Fault.Kind.SLOW_BODY) {
      send(exchange, call, response, fault.chunkBytes(), fault.chunkPause());
    } else {
      send(exchange, call, response, 0, Duration.ZERO);
    }
  }

  private static void decorate(Response response, Fault fault, Call call) {
    switch (fault.kind()) {
      case GARBAGE_BODY:
        response.status = 200;
        response.body = fault.bodyBytes();
        response.headers.put("Content-Type", JSON);
        break;
      case INDEX_BACKWARDS:
        if (response.meta) {
          long requested = parseIndexOrZero(call.param("index"));
          long base = requested > 1 ? requested : response.index;
          setIndex(response, Math.max(1, base - 1));
        }
        break;
      case FIXED_INDEX:
        if (response.meta) {
          setIndex(response, fault.fixedIndex());
        }
        break;
      case UNKNOWN_LEADER:
        if (response.meta) {
          response.headers.put("X-Consul-KnownLeader", "false");
        }
        break;
      default:
        break;
    }
  }

  private static void setIndex(Response response, long index) {
    response.index = index;
    response.headers.put("X-Consul-Index", Long.toUnsignedString(index));
  }

  // ------------------------------------------------------------------ routing

  private Response route(Call call, boolean mayBlock) {
    if (call.path.startsWith(KV_PREFIX) || call.path.equals("/v1/kv")) {
      return kv(call, mayBlock);
    }
    if (call.path.startsWith(SessionEndpoints.PREFIX)) {
      return session(call, mayBlock);
    }
    if (call.path.equals("/v1/status/leader") && call.method.equals("GET")) {
      return Response.json(200, Json.string("127.0.0.1:8300"));
    }
    return Response.text(404, "404 page not found\n");
  }

  private Response kv(Call call, boolean mayBlock) {
    Response bad = parseCommon(call);
    if (bad != null) {
      return bad;
    }
    Duration wait = call.wait;
    long minIndex = call.minIndex;
    // KVSEndpoint: traversal and key validation, then the method switch
    String rawLower = call.rawPath.toLowerCase(Locale.ROOT);
    if (call.rawPath.contains("../") || call.rawPath.contains("..\\")) {
      return Response.text(400, "URL path contains invalid traversal sequence");
    }
    if (rawLower.contains("%2e%2e") || rawLower.contains("..%2f") || rawLower.contains("..%5c")) {
      return Response.text(400, "URL path contains encoded traversal sequence");
    }
    String key =
        call.path.length() > KV_PREFIX.length() ? call.path.substring(KV_PREFIX.length()) : "";
    if (!key.isEmpty()) {
      String reason = invalidKeyReason(key);
      if (reason != null) {
        return Response.text(400, reason);
      }
    }
    switch (call.method) {
      case "GET":
      case "PUT":
      case "DELETE":
        break;
      default:
        return Response.text(405, "method " + call.method + " not allowed");
    }
    Response denied = checkAcl(call);
    if (denied != null) {
      return denied;
    }
    switch (call.method) {
      case "GET":
        long blockOn = mayBlock ? minIndex : 0;
        if (blockOn > 0) {
          call.blockingTimeout = server.effectiveTimeout(wait);
        }
        return call.has("keys") ? getKeys(call, key, blockOn) : get(call, key, blockOn);
      case "PUT":
        return put(call, key);
      default:
        return delete(call, key);
    }
  }

  /**
   * What HTTPHandlers.parse() checks before any endpoint runs: datacenter, consistency flags,
   * {@code ?wait=} and {@code ?index=} (kept in the call). Returns the error answer, or null.
   */
  private Response parseCommon(Call call) {
    String dc = call.param("dc");
    if (dc != null && !dc.isEmpty() && !dc.equals(ConsulTestServer.DATACENTER)) {
      return Response.text(500, "No path to datacenter");
    }
    if (call.has("stale") && call.has("consistent")) {
      return Response.text(400, "Cannot specify ?stale with ?consistent, conflicting semantics.");
    }
    String waitText = call.param("wait");
    if (waitText != null && !waitText.isEmpty()) {
      try {
        call.wait = Waits.parseGoDuration(waitText);
      } catch (IllegalArgumentException e) {
        return Response.text(400, "Invalid wait time");
      }
    }
    String indexText = call.param("index");
    if (indexText != null && !indexText.isEmpty()) {
      try {
        call.minIndex = Long.parseUnsignedLong(indexText);
      } catch (NumberFormatException e) {
        return Response.text(400, "Invalid index");
      }
    }
    return null;
  }

  /** {@code /v1/session/...}: parameters, ACL, then {@link SessionEndpoints}. */
  private Response session(Call call, boolean mayBlock) {
    Response bad = parseCommon(call);
    if (bad != null) {
      return bad;
    }
    Response denied = checkAcl(call);
    if (denied != null) {
      return denied;
    }
    boolean read = SessionEndpoints.isRead(call.method, call.path);
    long blockOn = read && mayBlock ? call.minIndex : 0;
    if (blockOn > 0) {
      call.blockingTimeout = server.effectiveTimeout(call.wait);
    }
    SessionEndpoints.Answer a =
        server
            .sessionEndpoints()
            .serve(call.method, call.path, call.body, blockOn, timeoutNanos(call));
    Response response =
        a.json() ? Response.json(a.status(), a.body()) : Response.text(a.status(), a.body());
    return read && a.status() == 200 ? withMeta(response, call, a.metaIndex()) : response;
  }

  private Response checkAcl(Call call) {
    String required = server.requiredToken();
    if (required == null) {
      return null;
    }
    String token = presentedToken(call);
    if (token == null) {
      return Response.text(403, "Permission denied");
    }
    return token.equals(required) ? null : Response.text(403, "ACL not found");
  }

  /**
   * Consul's precedence: {@code ?token=}, then {@code X-Consul-Token}, then {@code Authorization:
   * Bearer}.
   */
  private String presentedToken(Call call) {
    String fromQuery = call.param("token");
    if (fromQuery != null && !fromQuery.isEmpty()) {
      return fromQuery;
    }
    String header = call.headers.getFirst("X-Consul-Token");
    if (header != null && !header.isEmpty()) {
      return header;
    }
    String authorization = call.headers.getFirst("Authorization");
    if (authorization != null) {
      String[] parts = authorization.split(" ");
      if (parts.length == 2 && parts[0].equalsIgnoreCase("Bearer") && !parts[1].isEmpty()) {
        return parts[1];
      }
    }
    return null;
  }

  private Response get(Call call, String key, long minIndex) {
    boolean recurse = call.has("recurse");
    if (!recurse && key.isEmpty()) {
      return Response.text(400, "Missing key name");
    }
    KvStore.Query query = recurse ? KvStore.Query.prefix(key) : KvStore.Query.single(key);
    KvStore.Result result = server.store().read(query, minIndex, timeoutNanos(call));
    Response response;
    if (result.entries.isEmpty()) {
      response = new Response(404, null, new byte[0]);
    } else if (call.has("raw") && !recurse) {
      response = new Response(200, "text/plain", result.entries.get(0).value());
      response.headers.put("X-Content-Type-Options", "nosniff");
      response.headers.put("Content-Security-Policy", "sandbox");
    } else {
      response = Response.json(200, Json.entries(result.entries));
    }
    return withMeta(response, call, result.index);
  }

  private Response getKeys(Call call, String prefix, long minIndex) {
    String separator =
        call.has("separator")
            ? call.param("separator")
            : call.has("seperator") ? call.param("seperator") : "";
    KvStore.Result result =
        server.store().read(KvStore.Query.prefix(prefix), minIndex, timeoutNanos(call));
    Set<String> keys = new LinkedHashSet<>();
    for (KvEntry e : result.entries) {
      String after = e.key().substring(prefix.length());
      int at = separator.isEmpty() ? -1 : after.indexOf(separator);
      keys.add(at < 0 ? e.key() : e.key().substring(0, prefix.length() + at + separator.length()));
    }
    Response response =
        keys.isEmpty() && !prefix.isEmpty()
            ? new Response(404, null, new byte[0])
            : Response.json(200, Json.strings(new ArrayList<>(keys)));
    return withMeta(response, call, Math.max(1, result.index));
  }

  private static long timeoutNanos(Call call) {
    return call.blockingTimeout == null ? 0 : call.blockingTimeout.toNanos();
  }

  private static Response withMeta(Response response, Call call, long index) {
    response.meta = true;
    setIndex(response, Math.max(1, index));
    response.headers.put("X-Consul-KnownLeader", "true");
    response.headers.put("X-Consul-LastContact", "0");
    response.headers.put(
        "X-Consul-Effective-Consistency",
        call.has("stale") ? "stale" : call.has("consistent") ? "consistent" : "leader");
    return response;
  }

  private Response put(Call call, String key) {
    if (key.isEmpty()) {
      return Response.text(400, "Missing key name");
    }
    if (conflicting(call, "cas", "acquire", "release")) {
      return Response.text(400, "Conflicting flags: " + call.rawQuery + "\n");
    }
    long flags = 0;
    if (call.has("flags")) {
      Long parsed = parseUint(call.param("flags"));
      if (parsed == null) {
        return parseUintError(call.param("flags"));
      }
      flags = parsed;
    }
    if (call.body.length > ConsulTestServer.MAX_VALUE_SIZE) {
      return Response.text(
          413,
          "Request body("
              + call.body.length
              + " bytes) too large, max size: "
              + ConsulTestServer.MAX_VALUE_SIZE
              + " bytes.");
    }
    if (call.has("acquire") || call.has("release")) {
      try {
        boolean ok =
            call.has("acquire")
                ? server.sessionStore().acquire(key, call.body, flags, call.param("acquire"))
                : server.sessionStore().release(key, call.body, flags, call.param("release"));
        return Response.json(200, Boolean.toString(ok));
      } catch (SessionStore.Refused e) {
        return Response.text(e.status, e.getMessage());
      }
    }
    if (call.has("cas")) {
      Long cas = parseUint(call.param("cas"));
      if (cas == null) {
        return parseUintError(call.param("cas"));
      }
      boolean ok = server.store().cas(key, call.body, flags, cas);
      return Response.json(200, Boolean.toString(ok));
    }
    server.store().put(key, call.body, flags);
    return Response.json(200, "true");
  }

  private Response delete(Call call, String key) {
    if (conflicting(call, "recurse", "cas")) {
      return Response.text(400, "Conflicting flags: " + call.rawQuery + "\n");
    }
    if (call.has("recurse")) {
      server.store().deletePrefix(key);
      return Response.json(200, "true");
    }
    if (key.isEmpty()) {
      return Response.text(400, "Missing key name");
    }
    if (call.has("cas")) {
      Long cas = parseUint(call.param("cas"));
      if (cas == null) {
        return parseUintError(call.param("cas"));
      }
      return Response.json(200, Boolean.toString(server.store().deleteCas(key, cas)));
    }
    server.store().delete(key);
    return Response.json(200, "true");
  }

  private static boolean conflicting(Call call, String... flags) {
    int present = 0;
    for (String f : flags) {
      if (call.has(f)) {
        present++;
      }
    }
    return present > 1;
  }

  private static Long parseUint(String text) {
    try {
      return Long.parseUnsignedLong(text == null ? "" : text);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static long parseIndexOrZero(String text) {
    Long v = text == null ? null : parseUint(text);
    return v == null ? 0 : v;
  }

  private static Response parseUintError(String text) {
    return Response.text(
        500, "strconv.ParseUint: parsing \"" + (text == null ? "" : text) + "\": invalid syntax");
  }

  // ------------------------------------------------------------------ keys and query strings

  /**
   * Why Consul would reject {@code key} (letters, digits and {@code ,-_./} only, no leading {@code
   * /}, no {@code ../}), or null when it is fine. The empty key is handled by the callers.
   */
  static String invalidKeyReason(String key) {
    if (key.startsWith("/")) {
      return "key must not begin with a '/'";
    }
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == ','
              || c == '-'
              || c == '_'
              || c == '.'
              || c == '/';
      if (!ok) {
        return "key contains invalid character '"
            + c
            + "' at position "
            + i
            + ". Only alphanumeric characters and ,-_./ are allowed";
      }
    }
    if (key.contains("../")) {
      return "key contains path traversal sequence";
    }
    return null;
  }

  static Map<String, List<String>> parseQuery(String rawQuery) {
    Map<String, List<String>> params = new LinkedHashMap<>();
    if (rawQuery.isEmpty()) {
      return params;
    }
    for (String pair : rawQuery.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = decode(eq < 0 ? pair : pair.substring(0, eq));
      String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
      params.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
    }
    return params;
  }

  private static String decode(String s) {
    try {
      return URLDecoder.decode(s, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return s;
    }
  }

  // ------------------------------------------------------------------ writing

  private void send(
      HttpExchange exchange, Call call, Response response, int chunkBytes, Duration chunkPause)
      throws IOException, InterruptedException {
    record(call, response.status);
    response.headers.forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
    byte[] body = response.body;
    if (body.length == 0) {
      exchange.sendResponseHeaders(response.status, -1);
      return;
    }
    exchange.sendResponseHeaders(response.status, body.length);
    OutputStream out = exchange.getResponseBody();
    if (chunkBytes <= 0) {
      out.write(body);
    } else {
      for (int off = 0; off < body.length; off += chunkBytes) {
        if (!server.pause(chunkPause, call.down)) {
          throw new KvStore.ClosedException();
        }
        out.write(body, off, Math.min(chunkBytes, body.length - off));
        out.flush();
      }
    }
    out.close();
  }

  private void sendSafely(HttpExchange exchange, Call call, Response response) {
    try {
      send(exchange, call, response, 0, Duration.ZERO);
    } catch (IOException | RuntimeException e) {
      // nothing more to do: the exchange is closed by the caller
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
