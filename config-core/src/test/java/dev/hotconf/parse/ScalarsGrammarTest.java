package dev.hotconf.parse;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@link Scalars} matches the core schema's integer and float grammar by hand (no regular
 * expressions, no allocation per scalar). These tests hold it to the regular expressions the YAML
 * 1.2 core schema gives, over every short string of the characters that matter and many longer
 * random ones.
 */
class ScalarsGrammarTest {
  private static final Pattern INT_DEC = Pattern.compile("[-+]?[0-9]+");
  private static final Pattern INT_OCT = Pattern.compile("0o[0-7]+");
  private static final Pattern INT_HEX = Pattern.compile("0x[0-9a-fA-F]+");
  private static final Pattern FLOAT =
      Pattern.compile("[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?");
  private static final Pattern INF = Pattern.compile("[-+]?\\.(inf|Inf|INF)");
  private static final Pattern NAN = Pattern.compile("\\.(nan|NaN|NAN)");
  private static final String ALPHABET = "09+-.eEox8aFgI\u0660 ";

  @Test
  void everyShortStringIsTypedAsTheCoreSchemaRegexesSay() {
    List<String> texts = new ArrayList<>();
    texts.add("");
    extend("", 4, texts);
    for (String t : texts) {
      assertAgrees(t);
    }
    assertThat(texts).hasSizeGreaterThan(50_000);
  }

  @Test
  void longRandomNumbersAndSpecialValuesAreTypedAsTheRegexesSay() {
    Random random = new Random(42);
    String[] pieces = {
      "0",
      "7",
      "9",
      "12345678901234567890",
      "+",
      "-",
      ".",
      "e",
      "E",
      "0o",
      "0x",
      "ff",
      "inf",
      "Inf",
      "INF",
      "nan",
      "NaN",
      "NAN",
      "x",
      " "
    };
    for (int n = 0; n < 200_000; n++) {
      StringBuilder sb = new StringBuilder();
      int parts = 1 + random.nextInt(6);
      for (int p = 0; p < parts; p++) {
        sb.append(pieces[random.nextInt(pieces.length)]);
      }
      assertAgrees(sb.toString());
    }
  }

  @Test
  void integersKeepTheirExactValueAtTheLongBoundary() {
    assertThat(Scalars.parseInteger("9223372036854775807")).isEqualTo(Long.MAX_VALUE);
    assertThat(Scalars.parseInteger("-9223372036854775808")).isEqualTo(Long.MIN_VALUE);
    assertThat(Scalars.parseInteger("9223372036854775808"))
        .isEqualTo(new BigInteger("9223372036854775808"));
    assertThat(Scalars.parseInteger("+999999999999999999")).isEqualTo(999_999_999_999_999_999L);
    assertThat(Scalars.parseInteger("000000000000000000010")).isEqualTo(10L);
  }

  private static void extend(String prefix, int maxLength, List<String> out) {
    if (prefix.length() == maxLength) {
      return;
    }
    for (char c : ALPHABET.toCharArray()) {
      String t = prefix + c;
      out.add(t);
      extend(t, maxLength, out);
    }
  }

  private static void assertAgrees(String text) {
    assertThat(Scalars.parseInteger(text))
        .as("integer '%s'", text)
        .isEqualTo(expectedInteger(text));
    assertThat(Scalars.parseFloat(text)).as("float '%s'", text).isEqualTo(expectedFloat(text));
  }

  private static Number expectedInteger(String text) {
    if (INT_DEC.matcher(text).matches()) {
      return narrow(new BigInteger(text.startsWith("+") ? text.substring(1) : text));
    }
    if (INT_OCT.matcher(text).matches()) {
      return narrow(new BigInteger(text.substring(2), 8));
    }
    if (INT_HEX.matcher(text).matches()) {
      return narrow(new BigInteger(text.substring(2), 16));
    }
    return null;
  }

  private static Double expectedFloat(String text) {
    if (FLOAT.matcher(text).matches()) {
      return Double.valueOf(text);
    }
    if (INF.matcher(text).matches()) {
      return text.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    }
    if (NAN.matcher(text).matches()) {
      return Double.NaN;
    }
    return null;
  }

  private static Number narrow(BigInteger value) {
    return value.bitLength() < 64 ? (Number) value.longValue() : value;
  }
}
