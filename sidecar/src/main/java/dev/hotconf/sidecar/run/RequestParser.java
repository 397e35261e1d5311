package dev.hotconf.sidecar.run;

import dev.hotconf.ConfigPath;
import dev.hotconf.bind.Durations;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/*
 * Design: the HTTP API's request parsing, pure and side-effect free so it can be unit-tested and
 * fuzzed without a server. Input is the raw request target as the HTTP server's RequestHead hands
 * it over (rawPath / rawQuery): each byte of the request line is one char (ISO-8859-1), so a char
 * is a byte here; raw non-ASCII bytes (curl sends UTF-8 as is) and percent-escapes are
 * decoded together, once, as strict UTF-8. Every rejection is a BadRequest with a fixed message
 * (never the input), which the server answers with 400; nothing else is thrown.
 */
final class RequestParser {
  static final String CONFIG = "/v1/config";
  static final String KEY_PREFIX = "/v1/config/";
  static final String HISTORY = "/v1/history";
  static final String HISTORY_PREFIX = "/v1/history/";
  static final String PIN = "/v1/pin";

  /** Longest accepted key, in chars after decoding. */
  static final int MAX_KEY_LENGTH = 1024;

  /** The longest long poll; a longer {@code wait} is shortened to this. */
  static final Duration MAX_POLL_WAIT = Duration.ofMinutes(5);

  static final Duration DEFAULT_POLL_WAIT = Duration.ofSeconds(30);
  private static final int MAX_VERSION_DIGITS = 19;

  private RequestParser() {}

  /** The endpoints, told apart by the raw path alone. */
  enum Route {
    HEALTHZ,
    READYZ,
    METRICS,
    STATUS,
    CONFIG,
    KEY,
    HISTORY,
    HISTORY_VERSION,
    PIN,
    GUARD_ALLOW,
    NOT_FOUND
  }

  /**
   * The parameters of a long poll: answer once the version is above {@code after}, or after {@code
   * maxWait}.
   */
  record Poll(long after, Duration maxWait) {}

  /**
   * A parsed request: its route, the decoded key (only for {@link Route#KEY}), the long-poll
   * parameters (only for {@link Route#CONFIG} with {@code version}) and a version (for {@link
   * Route#HISTORY_VERSION}, and {@link Route#PIN}'s {@code ?version=}: -1 when absent; 0 for the
   * other routes).
   */
  record Request(Route route, String key, Poll poll, long version) {
    Request(Route route, String key, Poll poll) {
      this(route, key, poll, 0);
    }
  }

  /** A request the server answers with 400; the message is fixed text, safe to send back. */
  static final class BadRequest extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    BadRequest(String message) {
      super(message);
    }
  }

  /** The route of a raw path; never throws. */
  static Route route(String rawPath) {
    if (rawPath == null) {
      return Route.NOT_FOUND;
    }
    return switch (rawPath) {
      case "/healthz" -> Route.HEALTHZ;
      case "/readyz" -> Route.READYZ;
      case "/metrics" -> Route.METRICS;
      case "/v1/status" -> Route.STATUS;
      case "/v1/guard/allow" -> Route.GUARD_ALLOW;
      case CONFIG -> Route.CONFIG;
      case HISTORY -> Route.HISTORY;
      case PIN -> Route.PIN;
      default ->
          rawPath.startsWith(KEY_PREFIX)
              ? Route.KEY
              : rawPath.startsWith(HISTORY_PREFIX) ? Route.HISTORY_VERSION : Route.NOT_FOUND;
    };
  }

  /**
   * Parses a request target.
   *
   * @throws BadRequest when the key or a parameter is malformed
   */
  static Request parse(String rawPath, String rawQuery) {
    Route route = route(rawPath);
    return switch (route) {
      case KEY -> new Request(route, key(rawPath.substring(KEY_PREFIX.length())), null);
      case CONFIG -> new Request(route, null, poll(query(rawQuery)));
      case HISTORY_VERSION ->
          new Request(route, null, null, version(rawPath.substring(HISTORY_PREFIX.length())));
      case PIN -> {
        String v = query(rawQuery).get("version");
        yield new Request(route, null, null, v == null ? -1 : version(v));
      }
      default -> new Request(route, null, null);
    };
  }

  /**
   * Decodes and checks the key part of {@code /v1/config/<key>}: a dotted path like {@code
   * db.pool.max} or {@code servers[0].host}, without control characters, {@code /} or {@code \}.
   */
  static String key(String raw) {
    String key = decode(raw, false);
    if (key.isEmpty()) {
      throw new BadRequest("empty key");
    }
    if (key.length() > MAX_KEY_LENGTH) {
      throw new BadRequest("key longer than " + MAX_KEY_LENGTH + " characters");
    }
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (Character.isISOControl(c)) {
        throw new BadRequest("control character in key");
      }
      if (c == '/' || c == '\\') {
        throw new BadRequest("slash or backslash in key: keys are dotted paths like db.pool.max");
      }
    }
    try {
      ConfigPath.parse(key);
    } catch (IllegalArgumentException e) {
      // ConfigPath's message quotes the key; ours does not
      throw new BadRequest("malformed key: empty segment, unbalanced brackets or bad list index");
    }
    return key;
  }

  /** The query's parameters, each decoded once (form encoding: {@code +} is a space). */
  static Map<String, String> query(String rawQuery) {
    Map<String, String> out = new HashMap<>();
    if (rawQuery == null || rawQuery.isEmpty()) {
      return out;
    }
    for (String pair : rawQuery.split("&", -1)) {
      int eq = pair.indexOf('=');
      String name = decode(eq < 0 ? pair : pair.substring(0, eq), true);
      String value = eq < 0 ? "" : decode(pair.substring(eq + 1), true);
      if (out.putIfAbsent(name, value) != null && (name.equals("version") || name.equals("wait"))) {
        throw new BadRequest("'" + name + "' given twice");
      }
    }
    return out;
  }

  /** The long-poll parameters, or null without {@code version} ({@code wait} alone is ignored). */
  static Poll poll(Map<String, String> query) {
    String version = query.get("version");
    if (version == null) {
      return null;
    }
    long after = version(version);
    String wait = query.get("wait");
    Duration d = wait == null ? DEFAULT_POLL_WAIT : duration(wait);
    return new Poll(after, d.compareTo(MAX_POLL_WAIT) > 0 ? MAX_POLL_WAIT : d);
  }

  /** A version: 1 to 19 ASCII digits within the range of long. */
  static long version(String text) {
    if (text.isEmpty() || text.length() > MAX_VERSION_DIGITS) {
      throw new BadRequest("version must be a number");
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        throw new BadRequest("version must be a number");
      }
    }
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw new BadRequest("version must be a number");
    }
  }

  /**
   * A duration like {@code 250ms}, {@code 30s} or {@code 2m}; never negative. The subset of
   * hotconf's duration grammar ({@link Durations}) a query needs: ASCII digits and {@code ms},
   * {@code s} or {@code m}, nothing else (no spaces, signs or ISO-8601); parsed by {@link
   * Durations#parse}, the one parser.
   */
  static Duration duration(String text) {
    int unit = text.endsWith("ms") ? text.length() - 2 : text.length() - 1;
    boolean digits = unit > 0 && (text.endsWith("s") || text.endsWith("m"));
    for (int i = 0; digits && i < unit; i++) {
      char c = text.charAt(i);
      digits = c >= '0' && c <= '9';
    }
    if (!digits) {
      throw new BadRequest("wait must be a duration like 30s");
    }
    try {
      return Durations.parse(text);
    } catch (IllegalArgumentException e) {
      throw new BadRequest("wait out of range");
    }
  }

  /**
   * Percent-decodes {@code raw} once as strict UTF-8. Chars are bytes (ISO-8859-1), as the JDK
   * server reads them; a char above U+00FF, a bad escape or bytes that are not UTF-8 are rejected.
   */
  static String decode(String raw, boolean plusIsSpace) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == '%') {
        if (i + 2 >= raw.length()) {
          throw new BadRequest("bad percent escape");
        }
        int hi = hex(raw.charAt(i + 1));
        int lo = hex(raw.charAt(i + 2));
        bytes.write(hi << 4 | lo);
        i += 2;
      } else if (c == '+' && plusIsSpace) {
        bytes.write(' ');
      } else if (c > 0xFF) {
        throw new BadRequest("not a byte in the request target");
      } else {
        bytes.write(c);
      }
    }
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes.toByteArray()))
          .toString();
    } catch (CharacterCodingException e) {
      throw new BadRequest("not UTF-8");
    }
  }

  private static int hex(char c) {
    int v = Character.digit(c, 16);
    if (v < 0 || c > 'f') {
      throw new BadRequest("bad percent escape");
    }
    return v;
  }
}
