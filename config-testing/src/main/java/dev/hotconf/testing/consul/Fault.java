package dev.hotconf.testing.consul;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A declarative misbehaviour that {@link ConsulTestServer} applies to the next matching request(s).
 *
 * <p>Faults are enqueued with {@link ConsulTestServer#enqueue(Fault)} and consumed in order: each
 * incoming request takes the first queued fault whose filters ({@link #onPath(String)}, {@link
 * #onMethod(String)}) match it. A fault applies once by default; {@link #times(int)} makes it apply
 * to N requests and {@link #untilCleared()} to every matching request until {@link
 * ConsulTestServer#clearFaults()}.
 *
 * <p>Two families exist:
 *
 * <ul>
 *   <li><b>Replacing</b> faults answer instead of the KV store, immediately, ignoring any blocking
 *       query: {@link #status(int, String)} (and its shortcuts), {@link #connectionReset()}, {@link
 *       #garbageBody()}; or never: {@link #hang()}.
 *   <li><b>Decorating</b> faults let the request be served normally and alter the answer: {@link
 *       #delay(Duration)}, {@link #slowBody(int, Duration)}, {@link #unknownLeader()} (these still
 *       block), and {@link #indexBackwards()}, {@link #index(long)}, {@link #indexZero()} (these
 *       answer at once, like a query woken by a snapshot restore or a leader change).
 * </ul>
 *
 * The index and leader faults change only answers that carry Consul's query meta headers (KV reads,
 * including their 404s); another matching request consumes them without visible effect, so filter
 * with {@link #onMethod(String)} when writes interleave. Any fault can additionally wait before
 * answering with {@link #delayed(Duration)}.
 *
 * <p>Instances are immutable and thread-safe; every {@code with}-style method returns a new
 * instance. No method accepts or returns {@code null}: a {@code null} argument throws {@link
 * NullPointerException}.
 */
public final class Fault {

  /** What the fault does to the answer. */
  enum Kind {
    STATUS,
    CONNECTION_RESET,
    GARBAGE_BODY,
    HANG,
    PASS_THROUGH,
    INDEX_BACKWARDS,
    FIXED_INDEX,
    UNKNOWN_LEADER,
    SLOW_BODY
  }

  /** Sentinel for {@link #times()} meaning "until cleared". */
  static final int UNLIMITED = -1;

  private final Kind kind;
  private final int status;
  private final byte[] body;
  private final long index;
  private final int chunkBytes;
  private final Duration chunkPause;
  private final Duration delay;
  private final int times;
  private final String pathPrefix;
  private final String method;

  private Fault(
      Kind kind,
      int status,
      byte[] body,
      long index,
      int chunkBytes,
      Duration chunkPause,
      Duration delay,
      int times,
      String pathPrefix,
      String method) {
    this.kind = kind;
    this.status = status;
    this.body = body;
    this.index = index;
    this.chunkBytes = chunkBytes;
    this.chunkPause = chunkPause;
    this.delay = delay;
    this.times = times;
    this.pathPrefix = pathPrefix;
    this.method = method;
  }

  private static Fault of(Kind kind) {
    return new Fault(kind, 0, new byte[0], 0, 0, Duration.ZERO, Duration.ZERO, 1, "", "");
  }

  // ---------------------------------------------------------------- replacing faults

  /**
   * Answers with {@code status} and a {@code text/plain} body, like Consul's own error answers
   * (which carry no {@code X-Consul-*} headers).
   *
   * @param status HTTP status, 100..599
   * @param body the body text, sent as UTF-8 (may be empty)
   */
  public static Fault status(int status, String body) {
    if (status < 100 || status > 599) {
      throw new IllegalArgumentException("HTTP status out of range: " + status);
    }
    Objects.requireNonNull(body, "body");
    return new Fault(
        Kind.STATUS,
        status,
        body.getBytes(StandardCharsets.UTF_8),
        0,
        0,
        Duration.ZERO,
        Duration.ZERO,
        1,
        "",
        "");
  }

  /** {@code 403 Permission denied}: what Consul answers to a token lacking the permission. */
  public static Fault permissionDenied() {
    return status(403, "Permission denied");
  }

  /** {@code 403 ACL not found}: what Consul answers to an unknown (e.g. deleted) token. */
  public static Fault aclNotFound() {
    return status(403, "ACL not found");
  }

  /** {@code 500 No cluster leader}: the answer during a leader election or quorum loss. */
  public static Fault noClusterLeader() {
    return status(500, "No cluster leader");
  }

  /** {@code 429 Too many requests}: the agent's or server's rate limit. */
  public static Fault tooManyRequests() {
    return status(429, "Too many requests");
  }

  /**
   * {@code 503 Service unavailable}: e.g. a load balancer in front of Consul with no healthy
   * backend.
   */
  public static Fault serviceUnavailable() {
    return status(503, "Service unavailable");
  }

  /**
   * Closes the connection without sending any response byte. Clients see an {@link
   * java.io.IOException} (java.net.http: "header parser received no bytes"; Apache HttpClient:
   * {@code NoHttpResponseException}).
   *
   * <p>Note that HTTP clients transparently retry idempotent requests that fail this way
   * (java.net.http retries a GET once, Apache HttpClient 4.x up to three times): use {@link
   * #times(int)} or {@link #untilCleared()} when the failure must reach the code under test.
   */
  public static Fault connectionReset() {
    return of(Kind.CONNECTION_RESET);
  }

  /**
   * Takes the request and never answers, like a half-dead node, a stuck proxy or a dropped NAT
   * entry: the connection stays open and silent until the fault is cleared ({@link
   * ConsulTestServer#clearFaults()} or {@link ConsulTestServer#reset()}), the server is {@link
   * ConsulTestServer#suspend() suspended} or {@link ConsulTestServer#close() closed}; then it
   * closes without a response byte. Clearing the fault releases the requests hanging on it as well
   * as removing it from the queue, so a {@code hang()} consumed once still holds its request until
   * then. A client that gives up closes its end, which the server does not notice. The client sees
   * nothing but its own read timeout; {@link ConsulTestServer#hangingRequestCount()} tells a test
   * how many requests hang.
   */
  public static Fault hang() {
    return of(Kind.HANG);
  }

  /** Answers {@code 200} with the usual {@code X-Consul-*} headers but a body that is not JSON. */
  public static Fault garbageBody() {
    return garbageBody("<html><body>502 Bad Gateway</body></html> {\"Key\":");
  }

  /**
   * Answers {@code 200} with the usual {@code X-Consul-*} headers and {@code body} (sent as UTF-8).
   */
  public static Fault garbageBody(String body) {
    Objects.requireNonNull(body, "body");
    return new Fault(
        Kind.GARBAGE_BODY,
        200,
        body.getBytes(StandardCharsets.UTF_8),
        0,
        0,
        Duration.ZERO,
        Duration.ZERO,
        1,
        "",
        "");
  }

  // ---------------------------------------------------------------- decorating faults

  /** Waits {@code delay} before serving the request normally (a slow network or a busy server). */
  public static Fault delay(Duration delay) {
    return of(Kind.PASS_THROUGH).delayed(delay);
  }

  /**
   * Serves the request normally but sends the body in chunks of {@code bytesPerChunk} bytes,
   * pausing {@code pause} before each chunk (headers go out at once, with the full {@code
   * Content-Length}). Answers without body (such as a 404) are not slowed.
   */
  public static Fault slowBody(int bytesPerChunk, Duration pause) {
    if (bytesPerChunk < 1) {
      throw new IllegalArgumentException("bytesPerChunk must be >= 1: " + bytesPerChunk);
    }
    requireNonNegative(pause, "pause");
    return new Fault(
        Kind.SLOW_BODY, 0, new byte[0], 0, bytesPerChunk, pause, Duration.ZERO, 1, "", "");
  }

  /** Serves the request normally but with {@code X-Consul-KnownLeader: false}. */
  public static Fault unknownLeader() {
    return of(Kind.UNKNOWN_LEADER);
  }

  /**
   * Answers at once (without blocking) with the current data but an {@code X-Consul-Index} lower
   * than the client's: {@code index - 1} when the request carried {@code ?index=n} with {@code n >
   * 1}, otherwise the real index minus one (never below 1). Models a snapshot restore or a
   * tombstone reap.
   */
  public static Fault indexBackwards() {
    return of(Kind.INDEX_BACKWARDS);
  }

  /** Answers at once (without blocking) with the current data and {@code X-Consul-Index: index}. */
  public static Fault index(long index) {
    if (index < 0) {
      throw new IllegalArgumentException("index must be >= 0: " + index);
    }
    return new Fault(
        Kind.FIXED_INDEX, 0, new byte[0], index, 0, Duration.ZERO, Duration.ZERO, 1, "", "");
  }

  /**
   * Answers at once with {@code X-Consul-Index: 0}, a known Consul bug clients must guard against.
   */
  public static Fault indexZero() {
    return index(0);
  }

  // ---------------------------------------------------------------- modifiers

  /** Returns a copy that waits {@code delay} before doing anything else. */
  public Fault delayed(Duration delay) {
    requireNonNegative(delay, "delay");
    return new Fault(
        kind, status, body, index, chunkBytes, chunkPause, delay, times, pathPrefix, method);
  }

  /** Returns a copy that applies to the next {@code n} matching requests ({@code n >= 1}). */
  public Fault times(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("times must be >= 1: " + n);
    }
    return new Fault(
        kind, status, body, index, chunkBytes, chunkPause, delay, n, pathPrefix, method);
  }

  /**
   * Returns a copy that applies to every matching request until {@link
   * ConsulTestServer#clearFaults()}.
   */
  public Fault untilCleared() {
    return new Fault(
        kind, status, body, index, chunkBytes, chunkPause, delay, UNLIMITED, pathPrefix, method);
  }

  /**
   * Returns a copy that only matches requests whose decoded path starts with {@code pathPrefix},
   * e.g. {@code "/v1/kv/config/"}.
   */
  public Fault onPath(String pathPrefix) {
    Objects.requireNonNull(pathPrefix, "pathPrefix");
    return new Fault(
        kind, status, body, index, chunkBytes, chunkPause, delay, times, pathPrefix, method);
  }

  /**
   * Returns a copy that only matches requests with this HTTP method (case-insensitive), e.g. {@code
   * "PUT"}.
   */
  public Fault onMethod(String method) {
    Objects.requireNonNull(method, "method");
    return new Fault(
        kind,
        status,
        body,
        index,
        chunkBytes,
        chunkPause,
        delay,
        times,
        pathPrefix,
        method.toUpperCase(Locale.ROOT));
  }

  // ---------------------------------------------------------------- accessors

  /** How many requests this fault applies to; empty when it applies until cleared. */
  public OptionalLong times() {
    return times == UNLIMITED ? OptionalLong.empty() : OptionalLong.of(times);
  }

  /** The delay before answering ({@link Duration#ZERO} when none). */
  public Duration delay() {
    return delay;
  }

  /** The path prefix filter, if any. */
  public Optional<String> pathPrefix() {
    return pathPrefix.isEmpty() ? Optional.empty() : Optional.of(pathPrefix);
  }

  /** The method filter, if any. */
  public Optional<String> method() {
    return method.isEmpty() ? Optional.empty() : Optional.of(method);
  }

  Kind kind() {
    return kind;
  }

  int statusCode() {
    return status;
  }

  byte[] bodyBytes() {
    return body.clone();
  }

  long fixedIndex() {
    return index;
  }

  int chunkBytes() {
    return chunkBytes;
  }

  Duration chunkPause() {
    return chunkPause;
  }

  int rawTimes() {
    return times;
  }

  boolean matches(String requestMethod, String requestPath) {
    return (method.isEmpty() || method.equalsIgnoreCase(requestMethod))
        && requestPath.startsWith(pathPrefix);
  }

  private static void requireNonNegative(Duration d, String name) {
    Objects.requireNonNull(d, name);
    if (d.isNegative()) {
      throw new IllegalArgumentException(name + " must not be negative: " + d);
    }
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("Fault[").append(kind.name().toLowerCase(Locale.ROOT));
    switch (kind) {
      case STATUS:
        sb.append(' ')
            .append(status)
            .append(" \"")
            .append(new String(body, StandardCharsets.UTF_8))
            .append('"');
        break;
      case FIXED_INDEX:
        sb.append(' ').append(index);
        break;
      case SLOW_BODY:
        sb.append(' ').append(chunkBytes).append("B/").append(chunkPause);
        break;
      default:
        break;
    }
    if (!delay.isZero()) {
      sb.append(", delayed ").append(delay);
    }
    sb.append(", ").append(times == UNLIMITED ? "until cleared" : times + "x");
    if (!pathPrefix.isEmpty()) {
      sb.append(", path ").append(pathPrefix).append('*');
    }
    if (!method.isEmpty()) {
      sb.append(", method ").append(method);
    }
    return sb.append(']').toString();
  }
}
