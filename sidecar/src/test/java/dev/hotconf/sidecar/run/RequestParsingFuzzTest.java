package dev.hotconf.sidecar.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.hotconf.ConfigPath;
import dev.hotconf.sidecar.run.RequestParser.BadRequest;
import dev.hotconf.sidecar.run.RequestParser.Poll;
import dev.hotconf.sidecar.run.RequestParser.Request;
import dev.hotconf.sidecar.run.RequestParser.Route;
import java.nio.charset.StandardCharsets;

/**
 * Fuzzes the sidecar's HTTP request parsing ({@link RequestParser}). The input is a request target
 * as it appears in the request line, one char per byte as the server reads it; it is split at the
 * first {@code ?} into raw path and query, as the server does (the server's own request-line checks
 * are fuzzed by {@code RequestHeadParsingFuzzTest}; this takes any bytes, which is more).
 *
 * <p>Oracle: the parser returns a request or throws its own {@link BadRequest} (with a message fit
 * to put in a JSON string), nothing else; an accepted key is non-empty, at most 1024 chars, has no
 * control character, {@code /}, {@code \} or {@code ..}, is a valid dotted path, and
 * percent-encoding it again gives the same key back; an ASCII key without escapes is the raw text
 * itself (decoded once, no normalisation); long-poll parameters are non-negative, the wait at most
 * 5m, and round-trip.
 */
class RequestParsingFuzzTest {
  @FuzzTest(maxDuration = "10m")
  void parse(byte[] input) {
    String target = new String(input, StandardCharsets.ISO_8859_1);
    int q = target.indexOf('?');
    check(q < 0 ? target : target.substring(0, q), q < 0 ? null : target.substring(q + 1));
  }

  private static void check(String rawPath, String rawQuery) {
    Request request;
    try {
      request = RequestParser.parse(rawPath, rawQuery);
    } catch (BadRequest e) {
      assertNotNull(e.getMessage());
      assertTrue(
          e.getMessage().matches("[ -~&&[^\"\\\\]]+"), () -> "not JSON-safe: " + e.getMessage());
      return;
    }
    assertNotNull(request);
    assertEquals(RequestParser.route(rawPath), request.route());
    assertEquals(request, RequestParser.parse(rawPath, rawQuery), "not deterministic");
    if (request.route() == Route.KEY) {
      checkKey(rawPath.substring(RequestParser.KEY_PREFIX.length()), request.key());
      assertNull(request.poll());
    } else {
      assertNull(request.key());
      if (request.route() == Route.CONFIG) {
        checkPoll(request.poll());
      } else {
        assertNull(request.poll());
      }
    }
  }

  private static void checkKey(String raw, String key) {
    assertNotNull(key);
    assertFalse(key.isEmpty());
    assertTrue(key.length() <= RequestParser.MAX_KEY_LENGTH);
    assertFalse(key.contains(".."), () -> "'..' in key " + key);
    assertFalse(
        key.startsWith(".") || key.endsWith("."), () -> "leading or trailing '.' in key " + key);
    assertFalse(key.contains("/") || key.contains("\\"), () -> "slash in key " + key);
    assertTrue(
        key.chars().noneMatch(Character::isISOControl), () -> "control character in key " + key);
    assertTrue(
        key.codePoints().noneMatch(c -> c >= 0xD800 && c <= 0xDFFF),
        () -> "lone surrogate in key " + key);
    ConfigPath.parse(key); // throws (a finding) if the server's lookup would
    assertEquals(key, RequestParser.key(encode(key)), "encoded key does not round-trip");
    if (!raw.contains("%") && raw.chars().allMatch(c -> c < 0x80)) {
      assertEquals(raw, key, "an ASCII key without escapes is taken as is");
    }
  }

  private static void checkPoll(Poll poll) {
    if (poll == null) {
      return;
    }
    assertTrue(poll.after() >= 0);
    assertFalse(poll.maxWait().isNegative());
    assertTrue(poll.maxWait().compareTo(RequestParser.MAX_POLL_WAIT) <= 0);
    Poll again =
        RequestParser.parse(
                RequestParser.CONFIG,
                "version=" + poll.after() + "&wait=" + poll.maxWait().toMillis() + "ms")
            .poll();
    assertEquals(poll, again, "poll parameters do not round-trip");
  }

  /** Percent-encodes every UTF-8 byte outside RFC 3986's unreserved characters. */
  static String encode(String key) {
    StringBuilder out = new StringBuilder();
    for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xFF;
      if ((c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || c == '-'
          || c == '.'
          || c == '_'
          || c == '~') {
        out.append((char) c);
      } else {
        out.append('%')
            .append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 0xF, 16)));
      }
    }
    return out.toString();
  }
}
