package dev.hotconf.parse;

import static dev.hotconf.parse.Parsing.error;
import static dev.hotconf.parse.Parsing.jsonError;
import static dev.hotconf.parse.Parsing.propertiesError;
import static dev.hotconf.parse.Parsing.value;
import static dev.hotconf.parse.Parsing.yaml;
import static dev.hotconf.parse.Parsing.yamlError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hotconf.ConfigException;
import dev.hotconf.ConfigOrigin;
import dev.hotconf.ConfigParseException;
import dev.hotconf.ConfigScalar;
import dev.hotconf.ConfigValueException;
import dev.hotconf.bind.Binder;
import dev.hotconf.source.Trees;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Number literals are bounded (maxNumberDigits, 1,000 by default) in every format: converting a
 * 262,000-digit integer took the sidecar 12 s of CPU per publication. A longer literal is an
 * ordinary parse problem at its line:col, found before anything converts it.
 */
@Timeout(20)
class NumberLiteralLimitsTest {
  private static final String TOO_MANY =
      "number has more than 1000 digits (maxNumberDigits); quote it to keep it as a string";
  private static final String D1000 = "1" + "0".repeat(999);
  private static final String D1001 = "1" + "0".repeat(1000);

  @Test
  void yamlIntegerOfAThousandDigitsIsABigInteger() {
    assertThat(value(yaml("a: " + D1000 + "\n"), "a")).isEqualTo(new BigInteger(D1000));
    assertThat(value(yaml("a: -" + D1000 + "\n"), "a")).isEqualTo(new BigInteger("-" + D1000));
  }

  @Test
  void yamlIntegerOfMoreDigitsIsRejectedWhereItIs() {
    assertThat(yamlError("ok: 1\na: " + D1001 + "\n")).hasMessage("app.yaml:2:4: " + TOO_MANY);
    assertThat(yamlError("a: +" + D1001 + "\n")).hasMessage("app.yaml:1:4: " + TOO_MANY);
    assertThat(yamlError("a: 0x" + "f".repeat(1001) + "\n"))
        .hasMessage("app.yaml:1:4: " + TOO_MANY);
    assertThat(yamlError("a: 0o" + "7".repeat(1001) + "\n"))
        .hasMessage("app.yaml:1:4: " + TOO_MANY);
  }

  @Test
  void yamlFloatDigitsCountOnBothSidesOfThePointAndInTheExponent() {
    assertThat(value(yaml("a: 1." + "5".repeat(998) + "\n"), "a")).isEqualTo(1.5555555555555556);
    assertThat(yamlError("a: 1." + "5".repeat(1000) + "\n"))
        .hasMessage("app.yaml:1:4: " + TOO_MANY);
    assertThat(yamlError("a: ." + "5".repeat(500) + "e" + "1".repeat(501) + "\n"))
        .hasMessage("app.yaml:1:4: " + TOO_MANY);
  }

  @Test
  void theReviewersHugeIntegerIsRejectedWithoutConvertingIt() {
    // 262,000 digits: 12 s of CPU per publication in the sidecar before the limit
    String digits = "9".repeat(262_000);

    assertThat(yamlError("a: 1\nhuge: " + digits + "\n")).hasMessage("app.yaml:2:7: " + TOO_MANY);
    assertThat(jsonError("{\"a\": 1,\n \"huge\": " + digits + "}"))
        .hasMessage("app.json:2:10: " + TOO_MANY);
    assertThat(propertiesError("huge=" + digits + "\n"))
        .hasMessage("app.properties:1:1: number has more than 1000 digits (maxNumberDigits)");
  }

  @Test
  void anAliasToAHugeIntegerIsRejectedAtItsAnchor() {
    String doc = "a: &n " + D1001 + "\nb: [*n, *n, *n]\n";

    assertThat(yamlError(doc)).hasMessage("app.yaml:1:4: " + TOO_MANY);
  }

  @Test
  void yamlTaggedNumbersAreBoundedAndStringsAreNot() {
    assertThat(yamlError("a: !!int \"" + D1001 + "\"\n"))
        .hasMessage("app.yaml:1:4: number has more than 1000 digits (maxNumberDigits)");
    assertThat(yamlError("a: !!float " + D1001 + "\n"))
        .hasMessage("app.yaml:1:4: number has more than 1000 digits (maxNumberDigits)");
    assertThat(value(yaml("a: \"" + D1001 + "\"\n"), "a")).isEqualTo(D1001);
    assertThat(value(yaml("a: !!str " + D1001 + "\n"), "a")).isEqualTo(D1001);
  }

  @Test
  void everyLongNumberOfADocumentIsReported() {
    ConfigParseException e = yamlError("a: " + D1001 + "\nb: ok\nc: " + D1001 + "\n");

    assertThat(e.problems())
        .extracting(Object::toString)
        .containsExactly("app.yaml:1:4: " + TOO_MANY, "app.yaml:3:4: " + TOO_MANY);
  }

  @Test
  void jsonNumbersAreBoundedTheSameWay() {
    assertThat(value(Parsing.json("{\"a\": " + D1000 + "}"), "a")).isEqualTo(new BigInteger(D1000));
    assertThat(jsonError("{\n  \"a\": -" + D1001 + "\n}")).hasMessage("app.json:2:8: " + TOO_MANY);
    assertThat(jsonError("{\"a\": 0." + "1".repeat(1000) + "e5}"))
        .hasMessage("app.json:1:7: " + TOO_MANY);
    assertThat(value(Parsing.json("{\"a\": \"" + D1001 + "\"}"), "a")).isEqualTo(D1001);
  }

  @Test
  void propertiesValuesAreBounded() {
    assertThat(propertiesError("ok=1\nbig = " + D1001 + "\n"))
        .hasMessage("app.properties:2:1: number has more than 1000 digits (maxNumberDigits)");
    assertThat(value(Parsing.properties("big=" + D1000 + "\n"), "big"))
        .isEqualTo(new BigInteger(D1000));
  }

  @Test
  void valuesTypedFromTextAreBounded() {
    ConfigOrigin env = ConfigOrigin.of("env", "$APP_BIG");

    assertThatThrownBy(
            () ->
                Trees.fromStrings(
                    Map.of("big", D1001, "ok", "1"),
                    Map.of("big", env),
                    ConfigOrigin.of("env", "env")))
        .isInstanceOf(ConfigParseException.class)
        .hasMessage("$APP_BIG: number has more than 1000 digits (maxNumberDigits)");
    assertThatThrownBy(() -> Scalars.resolvePlain(D1001, env))
        .isInstanceOf(ConfigParseException.class)
        .hasMessage("$APP_BIG: " + TOO_MANY);
  }

  @Test
  void theLimitIsConfigurable() {
    ParseLimits twenty = ParseLimits.builder().maxNumberDigits(20).build();
    byte[] doc = "a: 123456789012345678901\n".getBytes(StandardCharsets.UTF_8);

    assertThat(error(ConfigFormat.YAML, doc, twenty))
        .hasMessage(
            "app.yaml:1:4: number has more than 20 digits (maxNumberDigits); quote it to keep it as a string");
    assertThatThrownBy(() -> ParseLimits.builder().maxNumberDigits(0))
        .hasMessage("maxNumberDigits must be >= 1 but was 0");
  }

  @Test
  void digitsAreCountedByTheCoreSchemaGrammar() {
    assertThat(Scalars.numberDigits("-123")).isEqualTo(3);
    assertThat(Scalars.numberDigits("0x1F")).isEqualTo(2);
    assertThat(Scalars.numberDigits("0o17")).isEqualTo(2);
    assertThat(Scalars.numberDigits("+1.25e-10")).isEqualTo(5);
    assertThat(Scalars.numberDigits(".5")).isEqualTo(1);
    assertThat(Scalars.numberDigits("12a")).isZero();
    assertThat(Scalars.numberDigits("1.2.3")).isZero();
    assertThat(Scalars.numberDigits(".inf")).isZero();
    assertThat(Scalars.numberDigits("")).isZero();
  }

  @Test
  void accessorsDoNotConvertStringsOfTooManyDigits() {
    ConfigScalar quoted = ConfigScalar.of(D1001, D1001, ConfigOrigin.of("file", "app.yaml:3:5"));

    for (Class<?> type : new Class<?>[] {BigInteger.class, long.class, int.class, double.class}) {
      assertThatThrownBy(() -> Binder.lenient().bind(quoted, "big", type))
          .as(type.getName())
          .isInstanceOf(ConfigValueException.class)
          .hasMessageStartingWith("app.yaml:3:5: big: expected ")
          .hasMessageContaining(" of at most 1000 digits but found '" + D1001.substring(0, 20));
    }
  }

  @Test
  void anExceptionForATooLongNumberIsAConfigException() {
    assertThat(yamlError("a: " + D1001 + "\n")).isInstanceOf(ConfigException.class);
  }
}
