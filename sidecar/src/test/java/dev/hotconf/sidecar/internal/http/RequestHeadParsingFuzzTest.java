package dev.hotconf.sidecar.internal.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Set;

/**
 * Fuzzes the server's request-head and body parsing with raw bytes, fed at once and in random
 * pieces. Oracle: the parser returns a head, returns null (needs more) or throws its own HttpError
 * with a known status and a JSON-safe message, nothing else; the result does not depend on how the
 * bytes arrive; an accepted head has a token method, a path starting with {@code /} without control
 * characters or spaces, a Host for HTTP/1.1, never both a length and chunking, and a head within
 * the limits. A body is read the same way whatever the pieces.
 */
class RequestHeadParsingFuzzTest {
  private static final Set<Integer> STATUSES = Set.of(400, 413, 414, 417, 431, 501, 505);
  private static final int LINE = 256;
  private static final int HEAD = 512;
  private static final int FIELDS = 8;

  private record Outcome(RequestHead head, int consumed, int status) {}

  @FuzzTest(maxDuration = "10m")
  void parse(FuzzedDataProvider data) {
    int seed = data.consumeInt();
    byte[] bytes = data.consumeRemainingAsBytes();
    Outcome whole = run(bytes, new int[] {bytes.length});
    int[] cuts = cuts(seed, bytes.length);
    Outcome pieces = run(bytes, cuts);
    assertEquals(whole, pieces, "the result depends on how the bytes arrive");
    if (whole.head() != null) {
      check(whole.head(), whole.consumed());
      body(whole.head(), bytes, whole.consumed(), seed);
    }
  }

  private static Outcome run(byte[] bytes, int[] ends) {
    RequestHeadParser p = new RequestHeadParser(LINE, HEAD, FIELDS);
    try {
      for (int end : ends) {
        RequestHead h = p.parse(bytes, 0, end);
        if (h != null) {
          return new Outcome(h, p.consumed(), 0);
        }
      }
      return new Outcome(null, 0, 0);
    } catch (HttpError e) {
      assertTrue(STATUSES.contains(e.status()), () -> "status " + e.status());
      assertNotNull(e.getMessage());
      assertTrue(
          e.getMessage().matches("[ -~&&[^\"\\\\]]+"), () -> "not JSON-safe: " + e.getMessage());
      return new Outcome(null, 0, e.status());
    }
  }

  /** Increasing end offsets, the last one the whole input. */
  private static int[] cuts(int seed, int length) {
    int n = Math.max(1, Math.min(length, 1 + Math.floorMod(seed, 7)));
    int[] ends = new int[n];
    long x = seed;
    for (int i = 0; i < n - 1; i++) {
      x = x * 6364136223846793005L + 1442695040888963407L;
      ends[i] = (int) Math.floorMod(x >>> 17, (long) length + 1);
    }
    ends[n - 1] = length;
    java.util.Arrays.sort(ends);
    return ends;
  }

  private static void check(RequestHead h, int consumed) {
    assertTrue(consumed > 0 && consumed <= HEAD);
    assertFalse(h.method().isEmpty());
    for (int i = 0; i < h.method().length(); i++) {
      assertTrue(RequestHeadParser.isTchar((byte) h.method().charAt(i)));
    }
    assertTrue(h.rawPath().startsWith("/"), h.rawPath());
    for (String part : new String[] {h.rawPath(), h.rawQuery() == null ? "" : h.rawQuery()}) {
      for (int i = 0; i < part.length(); i++) {
        char c = part.charAt(i);
        assertTrue(c > 0x20 && c != 0x7F && c <= 0xFF, () -> "bad char in target " + part);
      }
    }
    if (h.http11() && h.host() == null) {
      throw new AssertionError("HTTP/1.1 without host");
    }
    assertFalse(h.chunked() && h.contentLength() >= 0);
    assertTrue(h.fields().size() <= FIELDS);
    assertTrue(h.contentLength() >= -1);
  }

  private static void body(RequestHead h, byte[] bytes, int from, int seed) {
    if (!h.hasBody() || (!h.chunked() && h.contentLength() > 1024)) {
      return;
    }
    int whole = readBody(h, bytes, from, new int[] {bytes.length});
    int[] cuts = cuts(seed * 31, bytes.length - from);
    for (int i = 0; i < cuts.length; i++) {
      cuts[i] += from;
    }
    assertEquals(whole, readBody(h, bytes, from, cuts), "the body depends on how it arrives");
  }

  /** Bytes consumed when done, -1 when it needs more, -status on an error. */
  private static int readBody(RequestHead h, byte[] bytes, int from, int[] ends) {
    BodyReader r =
        h.chunked() ? BodyReader.chunked(1024, 4096) : BodyReader.fixed(h.contentLength());
    int at = from;
    try {
      for (int end : ends) {
        at += r.read(bytes, at, end);
        if (r.done()) {
          return at - from;
        }
      }
      return -1;
    } catch (HttpError e) {
      assertTrue(STATUSES.contains(e.status()));
      return -e.status();
    }
  }
}
