package dev.hotconf.parse;

import static dev.hotconf.parse.Parsing.scalar;
import static dev.hotconf.parse.Parsing.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hotconf.ConfigScalar;
import java.math.BigInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Plain YAML scalars are typed by the YAML 1.2 core schema, not SnakeYAML's YAML 1.1 rules. */
@Timeout(10)
class YamlCoreSchemaTest {

  static Stream<Arguments> plainScalars() {
    return Stream.of(
        // YAML 1.1 booleans stay strings
        Arguments.of("no", "no"),
        Arguments.of("No", "No"),
        Arguments.of("on", "on"),
        Arguments.of("yes", "yes"),
        Arguments.of("Yes", "Yes"),
        Arguments.of("off", "off"),
        Arguments.of("y", "y"),
        Arguments.of("n", "n"),
        // booleans
        Arguments.of("true", true),
        Arguments.of("True", true),
        Arguments.of("TRUE", true),
        Arguments.of("false", false),
        Arguments.of("False", false),
        Arguments.of("FALSE", false),
        Arguments.of("tRUE", "tRUE"),
        // integers: a leading zero is decimal, octal needs 0o
        Arguments.of("010", 10L),
        Arguments.of("-010", -10L),
        Arguments.of("0o17", 15L),
        Arguments.of("0x1F", 31L),
        Arguments.of("0xff", 255L),
        Arguments.of("0", 0L),
        Arguments.of("-12", -12L),
        Arguments.of("+12", 12L),
        Arguments.of("9223372036854775807", Long.MAX_VALUE),
        Arguments.of("9223372036854775808", new BigInteger("9223372036854775808")),
        Arguments.of("0o8", "0o8"),
        Arguments.of("0xG", "0xG"),
        Arguments.of("-0x1F", "-0x1F"),
        Arguments.of("1_000", "1_000"),
        Arguments.of("0b101", "0b101"),
        Arguments.of("1:20", "1:20"),
        // floats
        Arguments.of("1e3", 1000.0),
        Arguments.of("1E+3", 1000.0),
        Arguments.of("1.5", 1.5),
        Arguments.of(".5", 0.5),
        Arguments.of("-1.5e-3", -0.0015),
        Arguments.of("1.", 1.0),
        Arguments.of(".inf", Double.POSITIVE_INFINITY),
        Arguments.of("+.Inf", Double.POSITIVE_INFINITY),
        Arguments.of("-.INF", Double.NEGATIVE_INFINITY),
        Arguments.of(".nan", Double.NaN),
        Arguments.of(".NaN", Double.NaN),
        Arguments.of("inf", "inf"),
        Arguments.of("NaN", "NaN"),
        Arguments.of("1e", "1e"),
        // nulls
        Arguments.of("~", null),
        Arguments.of("null", null),
        Arguments.of("Null", null),
        Arguments.of("NULL", null),
        Arguments.of("nULL", "nULL"),
        // strings that YAML 1.1 would have turned into something else
        Arguments.of("2001-12-14", "2001-12-14"),
        Arguments.of("=", "="));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource("plainScalars")
  void plainScalarIsTypedByTheCoreSchema(String text, Object expected) {
    ConfigScalar s = scalar(yaml("v: " + text + "\n"), "v");

    assertThat(s.value()).isEqualTo(expected);
    assertThat(s.text()).isEqualTo(text);
  }

  @Test
  void emptyValueIsNull() {
    ConfigScalar s = scalar(yaml("v:\nw: 1\n"), "v");

    assertThat(s.isNull()).isTrue();
    assertThat(s.text()).isEmpty();
  }

  @Test
  void quotedScalarsAreAlwaysStrings() {
    var root =
        yaml(
            """
        a: "010"
        b: 'true'
        c: "~"
        d: ''
        e: "1e3"
        """);

    assertThat(root.unwrapped()).hasToString("{a=010, b=true, c=~, d=, e=1e3}");
    root.entries()
        .values()
        .forEach(v -> assertThat(((ConfigScalar) v).value()).isInstanceOf(String.class));
  }

  @Test
  void blockScalarsAreStrings() {
    var root =
        yaml(
            """
        a: |
          10
        b: >-
          true
        """);

    assertThat(Parsing.value(root, "a")).isEqualTo("10\n");
    assertThat(Parsing.value(root, "b")).isEqualTo("true");
  }

  @Test
  void nonSpecificTagMakesAPlainScalarAString() {
    assertThat(Parsing.value(yaml("a: ! 10\n"), "a")).isEqualTo("10");
  }

  @Test
  void zipCodeKeepsItsTextAndReadsAsDecimal() {
    ConfigScalar zip = scalar(yaml("zip: 01234\n"), "zip");

    assertThat(zip.value()).isEqualTo(1234L);
    assertThat(zip.text()).isEqualTo("01234");
  }

  @Test
  void scalarsUtilityAgreesWithTheYamlParser() {
    assertThat(Scalars.parseBoolean("yes")).isNull();
    assertThat(Scalars.parseInteger("010")).isEqualTo(10L);
    assertThat(Scalars.parseInteger("0o17")).isEqualTo(15L);
    assertThat(Scalars.parseInteger("0x1F")).isEqualTo(31L);
    assertThat(Scalars.parseInteger("")).isNull();
    assertThat(Scalars.parseFloat("1e3")).isEqualTo(1000.0);
    assertThat(Scalars.parseFloat("")).isNull();
    assertThat(Scalars.isNull("")).isTrue();
    assertThat(Scalars.isNull("~")).isTrue();
    assertThat(Scalars.isNull("none")).isFalse();
  }

  @Test
  void resolveTextNeverGivesNull() {
    var origin = Parsing.origin(ConfigFormat.PROPERTIES);

    assertThat(Scalars.resolveText("", origin).value()).isEqualTo("");
    assertThat(Scalars.resolveText("null", origin).value()).isEqualTo("null");
    assertThat(Scalars.resolveText("~", origin).value()).isEqualTo("~");
    assertThat(Scalars.resolveText("010", origin).value()).isEqualTo(10L);
    assertThat(Scalars.resolvePlain("~", origin).isNull()).isTrue();
  }
}
