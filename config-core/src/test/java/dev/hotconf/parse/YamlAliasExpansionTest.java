package dev.hotconf.parse;

import static dev.hotconf.parse.Parsing.error;
import static dev.hotconf.parse.Parsing.yaml;
import static dev.hotconf.parse.Parsing.yamlError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hotconf.ConfigList;
import dev.hotconf.ConfigObject;
import dev.hotconf.ConfigParseException;
import dev.hotconf.internal.JsonWriter;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Aliases to scalars: shared while parsing, but written out in full by everything that serialises
 * the config (HTTP answers, push bodies, files). They are counted ({@code maxScalarAliases}) and
 * every expanded key and scalar counts towards {@code maxExpandedBytes} (4 x maxDocumentBytes).
 */
@Timeout(20)
class YamlAliasExpansionTest {
  private static final String LONG = "x".repeat(100_000);

  /** A document of one 100,000-character anchor and {@code n} aliases to it, one per line. */
  private static String aliasesToALongString(int n) {
    StringBuilder sb = new StringBuilder("s: &s \"").append(LONG).append("\"\nl:\n");
    for (int i = 0; i < n; i++) {
      sb.append("  - *s\n");
    }
    return sb.toString();
  }

  @Test
  void aliasesToALongStringStopAtTheAliasThatExceedsTheExpandedSize() {
    // keys s and l (1 byte each) + the anchor (100,000) + 166 aliases = 16,700,002 bytes, within
    // 4 x 4 MiB = 16,777,216; the 167th alias (line 169) goes over
    ConfigParseException e = yamlError(aliasesToALongString(200));

    assertThat(e)
        .hasMessage(
            "app.yaml:169:5: document expands to more than 16777216 bytes of keys and values"
                + " (maxExpandedBytes)");
  }

  @Test
  void aliasesWithinTheExpandedSizeAreAccepted() {
    ConfigObject root = yaml(aliasesToALongString(166));

    assertThat(((ConfigList) root.get("l")).size()).isEqualTo(166);
    // what the sidecar would serve: bounded by the limit (plus JSON punctuation)
    assertThat(JsonWriter.toJson(root, null, false).length())
        .isBetween(16_700_000, 16_777_216 + 2_000);
  }

  @Test
  void theReviewersOneMebibyteDocumentIsRejected() {
    // the security review's file: a 100 kB anchor and ~1,000 aliases in 1 MiB, 106 MB expanded
    ParseLimits oneMebibyte = ParseLimits.builder().maxDocumentBytes(1024 * 1024).build();
    StringBuilder sb = new StringBuilder("s: &s \"").append(LONG).append("\"\nl:\n");
    while (sb.length() < 1024 * 1024 - 10) {
      sb.append("  - *s\n");
    }

    ConfigParseException e = error(ConfigFormat.YAML, bytes(sb.toString()), oneMebibyte);

    // 4 MiB expanded: the anchor and 40 aliases fit (4,100,002 bytes), the 41st (line 43) does
    // not
    assertThat(e)
        .hasMessage(
            "app.yaml:43:5: document expands to more than 4194304 bytes of keys and values"
                + " (maxExpandedBytes)");
  }

  @Test
  void aliasesToCollectionsCountTheirBytes() {
    ParseLimits small =
        ParseLimits.builder().maxExpandedBytes(ParseLimits.defaults().maxDocumentBytes()).build();
    String block = "y".repeat(200_000);
    StringBuilder sb = new StringBuilder("base: &b {k: \"").append(block).append("\"}\nuses:\n");
    for (int i = 0; i < 30; i++) {
      sb.append("  - *b\n");
    }

    ConfigParseException e = error(ConfigFormat.YAML, bytes(sb.toString()), small);

    // each copy is 200,001 bytes (key k and its value); base + 19 copies = 4,000,024 bytes with
    // the keys base and uses; the 20th copy (line 22) goes over 4 MiB
    assertThat(e)
        .hasMessage(
            "app.yaml:22:5: document expands to more than 4194304 bytes of keys and values"
                + " (maxExpandedBytes)");
  }

  @Test
  void aliasedKeysCountTheirBytes() {
    ParseLimits limits = ParseLimits.builder().maxDocumentBytes(200_000).build();
    // a long key reused through an alias in many mappings: keys are written out with every copy
    // (a key over 1024 characters must be an explicit one, "? key")
    StringBuilder sb =
        new StringBuilder("a:\n  ? &k \"").append("k".repeat(100_000)).append("\"\n  : 1\n");
    for (int i = 0; i < 10; i++) {
      sb.append("m").append(i).append(": {*k : 1}\n");
    }

    ConfigParseException e = error(ConfigFormat.YAML, bytes(sb.toString()), limits);

    // 800,000 bytes: a holds 100,002 bytes, each m 100,003: m0..m5 fit (700,020), the aliased key
    // of m6 (line 10) does not
    assertThat(e)
        .hasMessage(
            "app.yaml:10:6: document expands to more than 800000 bytes of keys and values"
                + " (maxExpandedBytes)");
  }

  @Test
  void mergeKeysCountTheBytesTheyBringIn() {
    ParseLimits limits = ParseLimits.builder().maxDocumentBytes(100_000).build();
    StringBuilder sb =
        new StringBuilder("base: &b {v: \"").append("z".repeat(90_000)).append("\"}\n");
    for (int i = 0; i < 10; i++) {
      sb.append("s").append(i).append(": {<<: *b, own: 1}\n");
    }

    ConfigParseException e = error(ConfigFormat.YAML, bytes(sb.toString()), limits);

    assertThat(e.getMessage())
        .startsWith("app.yaml:5:")
        .endsWith(
            "document expands to more than 400000 bytes of keys and values (maxExpandedBytes)");
  }

  @Test
  void multiByteCharactersCountAsTheirUtf8Length() {
    // 'é' is 2 bytes in UTF-8, '€' 3, '😀' 4 (a surrogate pair in Java)
    ParseLimits limits = ParseLimits.builder().maxDocumentBytes(100).maxExpandedBytes(100).build();
    String value = "é€😀"; // 9 bytes

    // keys a and l (1 each) + value (9) + 9 aliases of 9 = 92; a 10th alias makes 101
    String tooMany = "a: &v " + value + "\nl: [" + "*v, ".repeat(9) + "*v]\n";
    assertThat(error(ConfigFormat.YAML, bytes(tooMany), limits))
        .hasMessage(
            "app.yaml:2:41: document expands to more than 100 bytes of keys and values"
                + " (maxExpandedBytes)");
    String within = "a: &v " + value + "\nl: [" + "*v, ".repeat(8) + "*v]\n";
    ConfigList l = (ConfigList) Parsing.parse(ConfigFormat.YAML, bytes(within), limits).get("l");
    assertThat(l.size()).isEqualTo(9);
  }

  @Test
  void aliasesToScalarsAreCounted() {
    StringBuilder sb = new StringBuilder("v: &v 1\nl:\n");
    for (int i = 0; i < 10_001; i++) {
      sb.append("  - *v\n");
    }

    assertThat(yamlError(sb.toString()))
        .hasMessage("app.yaml:10003:5: more than 10000 aliases to scalars (maxScalarAliases)");
  }

  @Test
  void tenThousandAliasesToScalarsAreAllowed() {
    StringBuilder sb = new StringBuilder("v: &v 1\nl:\n");
    for (int i = 0; i < 10_000; i++) {
      sb.append("  - *v\n");
    }

    assertThat(((ConfigList) yaml(sb.toString()).get("l")).size()).isEqualTo(10_000);
  }

  @Test
  void aliasedKeysCountAsAliasesToScalars() {
    ParseLimits two = ParseLimits.builder().maxScalarAliases(2).build();

    ConfigParseException e =
        error(
            ConfigFormat.YAML,
            bytes("a: {&k key: 1}\nb: {*k : 2}\nc: {*k : 3}\nd: {*k : 4}\n"),
            two);

    assertThat(e).hasMessage("app.yaml:4:5: more than 2 aliases to scalars (maxScalarAliases)");
  }

  @Test
  void aDocumentWithoutAliasesNeverExceedsTheExpandedSize() {
    // keys and values of a document cannot be longer than the document itself
    ParseLimits tight = ParseLimits.builder().maxDocumentBytes(64).maxExpandedBytes(64).build();
    String doc = "k: \"\\U0001F600\\u00e9\"\nlong-key: 'a value'\n"; // escapes shrink

    assertThat(Parsing.parse(ConfigFormat.YAML, bytes(doc), tight).entries().keySet())
        .containsExactly("k", "long-key");
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
