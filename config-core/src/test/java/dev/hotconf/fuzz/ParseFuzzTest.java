package dev.hotconf.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.hotconf.ConfigList;
import dev.hotconf.ConfigNode;
import dev.hotconf.ConfigObject;
import dev.hotconf.ConfigOrigin;
import dev.hotconf.ConfigParseException;
import dev.hotconf.ConfigScalar;
import dev.hotconf.Problem;
import dev.hotconf.internal.TreeOps;
import dev.hotconf.parse.ConfigFormat;
import dev.hotconf.parse.ParseLimits;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.NavigableMap;

/**
 * Fuzzes the three document parsers. Contract: a parse returns a tree or throws {@link
 * ConfigParseException} (anything else, including StackOverflowError or OutOfMemoryError, is a
 * bug); every problem has a message and a position inside the input; a parsed tree flattens and
 * hashes, deterministically, and written out in full (every alias expanded) its keys and scalars
 * stay within {@link ParseLimits#maxExpandedBytes()}.
 *
 * <p>Regression mode (plain {@code mvn verify}) replays the seeds under {@code
 * src/test/resources/dev/hotconf/fuzz/ParseFuzzTestInputs/<method>/}; set {@code JAZZER_FUZZ=1} to
 * fuzz.
 */
class ParseFuzzTest {
  /** Small limits keep each input fast; the parsers must honour them whatever the input. */
  static final ParseLimits LIMITS =
      ParseLimits.builder()
          .maxDocumentBytes(64 * 1024)
          .maxNestingDepth(64)
          .maxAliases(50)
          .maxValues(20_000)
          .build();

  static final ConfigOrigin ORIGIN = ConfigOrigin.of("fuzz", "fuzz.yaml");

  @FuzzTest(maxDuration = "10m")
  void yaml(byte[] input) {
    check(ConfigFormat.YAML, input);
  }

  @FuzzTest(maxDuration = "10m")
  void json(byte[] input) {
    check(ConfigFormat.JSON, input);
  }

  @FuzzTest(maxDuration = "10m")
  void properties(byte[] input) {
    check(ConfigFormat.PROPERTIES, input);
  }

  static void check(ConfigFormat format, byte[] input) {
    ConfigObject root;
    try {
      root = format.parse(input, ORIGIN, LIMITS);
    } catch (ConfigParseException e) {
      checkProblems(e, input);
      return;
    }
    assertNotNull(root, "parse returned null");
    long expanded = expandedBytes(root);
    assertTrue(
        expanded <= LIMITS.maxExpandedBytes(),
        () -> "the tree expands to " + expanded + " bytes, over " + LIMITS.maxExpandedBytes());
    NavigableMap<String, ConfigNode> flat = TreeOps.flatten(root);
    String hash = TreeOps.contentHash(flat);
    assertNotNull(hash);
    // deterministic: the same bytes give the same content hash
    assertEquals(hash, TreeOps.contentHash(TreeOps.flatten(format.parse(input, ORIGIN, LIMITS))));
  }

  static void checkProblems(ConfigParseException e, byte[] input) {
    assertNotNull(e.getMessage());
    assertFalse(e.problems().isEmpty(), "a ConfigParseException without problems");
    int maxLine = lineBreaks(input) + 1;
    for (Problem p : e.problems()) {
      assertNotNull(p.message(), "problem without a message");
      assertFalse(p.message().isEmpty(), "problem with an empty message");
      ConfigOrigin o = p.origin();
      if (o != null) {
        assertTrue(
            o.line() >= 0 && o.line() <= maxLine,
            () -> "problem line " + o.line() + " outside the input's " + maxLine + " lines: " + p);
        assertTrue(
            o.column() >= 0 && o.column() <= input.length + 1,
            () ->
                "problem column "
                    + o.column()
                    + " outside the input ("
                    + input.length
                    + " bytes): "
                    + p);
      }
    }
  }

  /**
   * UTF-8 bytes of every key and scalar text of {@code node}, shared (aliased) nodes counted each
   * time they appear: what serialising the tree writes, punctuation aside.
   */
  static long expandedBytes(ConfigNode node) {
    if (node instanceof ConfigObject o) {
      long n = 0;
      for (Map.Entry<String, ConfigNode> e : o.entries().entrySet()) {
        n += e.getKey().getBytes(StandardCharsets.UTF_8).length + expandedBytes(e.getValue());
      }
      return n;
    }
    if (node instanceof ConfigList l) {
      long n = 0;
      for (ConfigNode element : l.elements()) {
        n += expandedBytes(element);
      }
      return n;
    }
    return ((ConfigScalar) node).text().getBytes(StandardCharsets.UTF_8).length;
  }

  /**
   * An upper bound on the line breaks a parser may count: LF, CR, and the Unicode breaks YAML 1.1
   * knows (NEL U+0085, LS U+2028, PS U+2029), each counted once per occurrence.
   */
  static int lineBreaks(byte[] input) {
    int n = 0;
    for (int i = 0; i < input.length; i++) {
      int b = input[i] & 0xff;
      if (b == '\n' || b == '\r') {
        n++;
      } else if (b == 0xC2 && i + 1 < input.length && (input[i + 1] & 0xff) == 0x85) {
        n++;
      } else if (b == 0xE2
          && i + 2 < input.length
          && (input[i + 1] & 0xff) == 0x80
          && ((input[i + 2] & 0xff) == 0xA8 || (input[i + 2] & 0xff) == 0xA9)) {
        n++;
      }
    }
    return n;
  }
}
