package dev.hotconf.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hotconf.internal.PathSyntax;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Format lookup, {@link ParseLimits} and the path syntax that dotted keys follow. */
@Timeout(10)
class ConfigFormatAndLimitsTest {

  @Test
  void formatForFileNameByExtension() {
    assertThat(ConfigFormat.forFileName("app.yaml")).contains(ConfigFormat.YAML);
    assertThat(ConfigFormat.forFileName("/etc/app/App.YML")).contains(ConfigFormat.YAML);
    assertThat(ConfigFormat.forFileName("app.json")).contains(ConfigFormat.JSON);
    assertThat(ConfigFormat.forFileName("app.properties")).contains(ConfigFormat.PROPERTIES);
    assertThat(ConfigFormat.forFileName("app.toml")).isEmpty();
    assertThat(ConfigFormat.forFileName("yaml")).isEmpty();
  }

  @Test
  void formatByName() {
    assertThat(ConfigFormat.named("YAML")).isEqualTo(ConfigFormat.YAML);
    assertThat(ConfigFormat.named("yml")).isEqualTo(ConfigFormat.YAML);
    assertThat(ConfigFormat.named("json")).isEqualTo(ConfigFormat.JSON);
    assertThat(ConfigFormat.named("Properties")).isEqualTo(ConfigFormat.PROPERTIES);
    assertThatThrownBy(() -> ConfigFormat.named("toml"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unknown format 'toml': expected yaml, json or properties");
  }

  @Test
  void defaultLimits() {
    ParseLimits d = ParseLimits.defaults();

    assertThat(d.maxDocumentBytes()).isEqualTo(4 * 1024 * 1024);
    assertThat(d.maxNestingDepth()).isEqualTo(64);
    assertThat(d.maxAliases()).isEqualTo(50);
    assertThat(d.maxScalarAliases()).isEqualTo(10_000);
    assertThat(d.maxValues()).isEqualTo(200_000);
    assertThat(d.maxExpandedBytes()).isEqualTo(16L * 1024 * 1024);
    assertThat(d.maxNumberDigits()).isEqualTo(1_000);
    assertThat(d)
        .hasToString(
            "ParseLimits{maxDocumentBytes=4194304, maxNestingDepth=64, maxAliases=50,"
                + " maxScalarAliases=10000, maxValues=200000, maxExpandedBytes=16777216,"
                + " maxNumberDigits=1000}");
  }

  @Test
  void limitsBuilderRejectsValuesBelowTheMinimum() {
    assertThatThrownBy(() -> ParseLimits.builder().maxDocumentBytes(0))
        .hasMessage("maxDocumentBytes must be >= 1 but was 0");
    assertThatThrownBy(() -> ParseLimits.builder().maxNestingDepth(0))
        .hasMessage("maxNestingDepth must be >= 1 but was 0");
    assertThatThrownBy(() -> ParseLimits.builder().maxAliases(-1))
        .hasMessage("maxAliases must be >= 0 but was -1");
    assertThatThrownBy(() -> ParseLimits.builder().maxValues(0))
        .hasMessage("maxValues must be >= 1 but was 0");
    assertThatThrownBy(() -> ParseLimits.builder().maxScalarAliases(-1))
        .hasMessage("maxScalarAliases must be >= 0 but was -1");
    assertThatThrownBy(() -> ParseLimits.builder().maxExpandedBytes(0))
        .hasMessage("maxExpandedBytes must be >= 1 but was 0");
    assertThatThrownBy(() -> ParseLimits.builder().maxNumberDigits(0))
        .hasMessage("maxNumberDigits must be >= 1 but was 0");
  }

  @Test
  void theExpandedSizeFollowsTheDocumentSizeUnlessSetAndIsNeverBelowIt() {
    assertThat(ParseLimits.builder().maxDocumentBytes(1000).build().maxExpandedBytes())
        .isEqualTo(4000);
    assertThat(ParseLimits.builder().maxDocumentBytes(Integer.MAX_VALUE).build().maxExpandedBytes())
        .isEqualTo(4L * Integer.MAX_VALUE);
    assertThat(
            ParseLimits.builder()
                .maxDocumentBytes(1000)
                .maxExpandedBytes(1000)
                .build()
                .maxExpandedBytes())
        .isEqualTo(1000);
    assertThatThrownBy(
            () -> ParseLimits.builder().maxDocumentBytes(1000).maxExpandedBytes(999).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("maxExpandedBytes (999) must be >= maxDocumentBytes (1000)");
  }

  @ParameterizedTest
  @EnumSource(ConfigFormat.class)
  void documentSizeLimitIsConfigurable(ConfigFormat format) {
    ParseLimits small = ParseLimits.builder().maxDocumentBytes(8).build();
    byte[] nine = "a=1234567".getBytes(StandardCharsets.UTF_8);

    assertThat(Parsing.error(format, nine, small))
        .hasMessage(
            Parsing.origin(format).location()
                + ": document is 9 bytes, over the limit of 8 bytes (maxDocumentBytes)");
  }

  @Test
  void propertiesOverFourMebibytesIsRejected() {
    byte[] big = new byte[4 * 1024 * 1024 + 1];
    java.util.Arrays.fill(big, (byte) '#');

    assertThat(Parsing.error(ConfigFormat.PROPERTIES, big, ParseLimits.defaults()))
        .hasMessage(
            "app.properties: document is 4194305 bytes, over the limit of 4194304 bytes (maxDocumentBytes)");
  }

  @ParameterizedTest
  @EnumSource(ConfigFormat.class)
  void unlimitedLimitsStillParse(ConfigFormat format) {
    ParseLimits max =
        ParseLimits.builder()
            .maxDocumentBytes(Integer.MAX_VALUE)
            .maxNestingDepth(Integer.MAX_VALUE)
            .maxAliases(Integer.MAX_VALUE)
            .maxValues(Integer.MAX_VALUE)
            .build();
    String doc =
        format == ConfigFormat.JSON
            ? "{\"a\": {\"b\": 1}}"
            : format == ConfigFormat.YAML ? "a:\n  b: 1\n" : "a.b=1\n";

    assertThat(Parsing.parse(format, doc.getBytes(StandardCharsets.UTF_8), max).unwrapped())
        .isEqualTo(java.util.Map.of("a", java.util.Map.of("b", 1L)));
  }

  @Test
  void pathSyntaxParsesNamesAndIndexes() {
    assertThat(PathSyntax.parse("db.pool.size")).containsExactly("db", "pool", "size");
    assertThat(PathSyntax.parse("servers[0].host")).containsExactly("servers", 0, "host");
    assertThat(PathSyntax.parse("m[1][2]")).containsExactly("m", 1, 2);
    assertThat(PathSyntax.parse("a-b_c")).containsExactly("a-b_c");
  }

  @Test
  void pathSyntaxRejectsMalformedPaths() {
    assertThatThrownBy(() -> PathSyntax.parse("")).hasMessage("empty key");
    assertThatThrownBy(() -> PathSyntax.parse("a.[0]")).hasMessage("empty segment in key 'a.[0]'");
    assertThatThrownBy(() -> PathSyntax.parse("[0]")).hasMessage("empty segment in key '[0]'");
    assertThatThrownBy(() -> PathSyntax.parse("a[1234567890]"))
        .hasMessage("bad list index [1234567890] in key 'a[1234567890]'");
    assertThatThrownBy(() -> PathSyntax.parse("a[-1]"))
        .hasMessage("bad list index [-1] in key 'a[-1]'");
  }

  @Test
  void pathSyntaxRendersAndMatchesPrefixes() {
    assertThat(PathSyntax.child("", "a")).isEqualTo("a");
    assertThat(PathSyntax.child("a", "b")).isEqualTo("a.b");
    assertThat(PathSyntax.child("a", 3)).isEqualTo("a[3]");
    assertThat(PathSyntax.isUnder("db.pool", "db")).isTrue();
    assertThat(PathSyntax.isUnder("db[0]", "db")).isTrue();
    assertThat(PathSyntax.isUnder("db", "db")).isTrue();
    assertThat(PathSyntax.isUnder("dbx", "db")).isFalse();
    assertThat(PathSyntax.isUnder("anything", "")).isTrue();
  }
}
