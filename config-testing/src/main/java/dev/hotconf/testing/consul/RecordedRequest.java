package dev.hotconf.testing.consul;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * One request received by {@link ConsulTestServer}, recorded once its answer was decided, just
 * before the answer is sent (so a client that got answer N and then sent request N+1 finds them in
 * that order in the log), or when it was abandoned without answer.
 *
 * <p>Immutable and thread-safe. No method returns {@code null}: absent values are {@link
 * Optional#empty()}; maps and lists are unmodifiable; {@link #body()} returns a copy. Header
 * lookups are case-insensitive.
 */
public final class RecordedRequest {

  /**
   * {@link #status()} of a request that got no HTTP answer (connection reset fault, or server
   * closed).
   */
  public static final int NO_RESPONSE = -1;

  private final long sequenceNumber;
  private final String method;
  private final String path;
  private final String rawQuery;
  private final Map<String, List<String>> queryParameters;
  private final Map<String, List<String>> headers;
  private final byte[] body;
  private final Instant receivedAt;
  private final Duration duration;
  private final int status;
  private final Fault fault;
  private final Duration blockingTimeout;

  RecordedRequest(
      long sequenceNumber,
      String method,
      String path,
      String rawQuery,
      Map<String, List<String>> queryParameters,
      Map<String, List<String>> headers,
      byte[] body,
      Instant receivedAt,
      Duration duration,
      int status,
      Fault fault,
      Duration blockingTimeout) {
    this.sequenceNumber = sequenceNumber;
    this.method = method;
    this.path = path;
    this.rawQuery = rawQuery;
    Map<String, List<String>> q = new LinkedHashMap<>();
    queryParameters.forEach((k, v) -> q.put(k, List.copyOf(v)));
    this.queryParameters = Collections.unmodifiableMap(q);
    Map<String, List<String>> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    headers.forEach((k, v) -> h.put(k, List.copyOf(v)));
    this.headers = Collections.unmodifiableMap(h);
    this.body = body;
    this.receivedAt = receivedAt;
    this.duration = duration;
    this.status = status;
    this.fault = fault;
    this.blockingTimeout = blockingTimeout;
  }

  /**
   * 0-based arrival order of this request on its server (reset by {@link
   * ConsulTestServer#clearRequests()}).
   */
  public long sequenceNumber() {
    return sequenceNumber;
  }

  /** The HTTP method, e.g. {@code GET}. */
  public String method() {
    return method;
  }

  /** The URL-decoded path, e.g. {@code /v1/kv/config/app}. */
  public String path() {
    return path;
  }

  /** The raw (still encoded) query string without {@code ?}; empty when there was none. */
  public String rawQuery() {
    return rawQuery;
  }

  /**
   * The decoded query parameters in order of first appearance. A flag without value ({@code
   * ?recurse}) maps to a list holding the empty string.
   */
  public Map<String, List<String>> queryParameters() {
    return queryParameters;
  }

  /**
   * The first value of query parameter {@code name} ({@code ""} for a bare flag such as {@code
   * ?recurse}).
   */
  public Optional<String> queryParameter(String name) {
    List<String> values = queryParameters.get(name);
    return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
  }

  /** Whether query parameter {@code name} was present, with or without value. */
  public boolean hasQueryParameter(String name) {
    return queryParameters.containsKey(name);
  }

  /**
   * Whether the deprecated {@code ?token=} query parameter was used (tokens in URLs end up in
   * access logs; clients should send {@code X-Consul-Token} or {@code Authorization: Bearer}
   * instead).
   */
  public boolean usedTokenQueryParameter() {
    return queryParameters.containsKey("token");
  }

  /**
   * The KV key for {@code /v1/kv/...} requests (possibly empty for {@code /v1/kv/}); empty
   * otherwise.
   */
  public Optional<String> key() {
    if (path.startsWith(ConsulHttpHandler.KV_PREFIX)) {
      return Optional.of(path.substring(ConsulHttpHandler.KV_PREFIX.length()));
    }
    return path.equals("/v1/kv") ? Optional.of("") : Optional.empty();
  }

  /** The {@code ?index=} the client sent, when it is a valid number. */
  public OptionalLong index() {
    Optional<String> raw = queryParameter("index");
    if (raw.isEmpty()) {
      return OptionalLong.empty();
    }
    try {
      return OptionalLong.of(Long.parseUnsignedLong(raw.get()));
    } catch (NumberFormatException e) {
      return OptionalLong.empty();
    }
  }

  /** All request headers; keys compare case-insensitively. */
  public Map<String, List<String>> headers() {
    return headers;
  }

  /** The first value of header {@code name} (case-insensitive). */
  public Optional<String> header(String name) {
    List<String> values = headers.get(name);
    return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
  }

  /** A copy of the request body (empty when none). */
  public byte[] body() {
    return body.clone();
  }

  /** The request body decoded as UTF-8. */
  public String bodyAsString() {
    return new String(body, StandardCharsets.UTF_8);
  }

  /** When the server began handling the request. */
  public Instant receivedAt() {
    return receivedAt;
  }

  /**
   * How long the server took to decide the answer: includes blocking and fault delays, not the time
   * a {@link Fault#slowBody(int, Duration) slow body} takes to trickle out.
   */
  public Duration duration() {
    return duration;
  }

  /** The HTTP status answered, or {@link #NO_RESPONSE}. */
  public int status() {
    return status;
  }

  /** The fault applied to this request, if any. */
  public Optional<Fault> fault() {
    return Optional.ofNullable(fault);
  }

  /**
   * For a blocking query ({@code ?index=} greater than 0 on a KV read), the time the server allowed
   * it to wait: the requested {@code ?wait} (default 5m) capped at the maximum (10m), plus jitter
   * when enabled.
   */
  public Optional<Duration> blockingTimeout() {
    return Optional.ofNullable(blockingTimeout);
  }

  @Override
  public String toString() {
    return "RecordedRequest[#"
        + sequenceNumber
        + ' '
        + method
        + ' '
        + path
        + (rawQuery.isEmpty() ? "" : "?" + rawQuery)
        + " -> "
        + (status == NO_RESPONSE ? "no response" : String.valueOf(status))
        + (fault == null ? "" : " " + fault)
        + ']';
  }
}
