package dev.hotconf.parse;

import static dev.hotconf.parse.Parsing.error;
import static dev.hotconf.parse.Parsing.json;
import static dev.hotconf.parse.Parsing.jsonError;
import static dev.hotconf.parse.Parsing.value;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hotconf.ConfigObject;
import dev.hotconf.ConfigParseException;
import dev.hotconf.Problem;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Strict JSON: RFC 8259 only, with our own positioned messages. */
@Timeout(10)
class JsonParserTest {
  private static final String EXPECTED_VALUE =
      "expected a JSON value (string, number, object, array, true, false or null)";

  @Test
  void trailingCommaInObjectPointsAtTheComma() {
    assertThat(jsonError("{\"a\": 1,}"))
        .hasMessage("app.json:1:8: found a trailing comma (not allowed in JSON)");
  }

  @Test
  void trailingCommaInObjectOnItsOwnLine() {
    ConfigParseException e =
        jsonError(
            """
        {
          "a": 1,
        }
        """);

    assertThat(e).hasMessage("app.json:2:9: found a trailing comma (not allowed in JSON)");
  }

  @Test
  void trailingCommaInArrayPointsAtTheComma() {
    assertThat(jsonError("{\"a\": [1,]}"))
        .hasMessage("app.json:1:9: found a trailing comma (not allowed in JSON)");
  }

  @Test
  void trailingCommaInNestedArraySpanningLines() {
    ConfigParseException e =
        jsonError(
            """
        {
          "a": 1,
          "b": [1, 2,
                ]
        }
        """);

    assertThat(e).hasMessage("app.json:3:13: found a trailing comma (not allowed in JSON)");
  }

  @Test
  void missingValueIsNotMistakenForATrailingComma() {
    assertThat(jsonError("{\"a\": ]}"))
        .hasMessage("app.json:1:7: unexpected character ']': " + EXPECTED_VALUE);
  }

  @Test
  void leadingCommaInArray() {
    assertThat(jsonError("{\"a\": [,1]}"))
        .hasMessage("app.json:1:8: unexpected character ',': " + EXPECTED_VALUE);
  }

  @Test
  void duplicateKeyPointsAtSecondOccurrence() {
    ConfigParseException e =
        jsonError(
            """
        {
          "timeout": 1,
          "retries": 3,
          "timeout": 2
        }
        """);

    assertThat(e).hasMessage("app.json:4:3: found duplicate key 'timeout'");
  }

  @Test
  void nestedDuplicateKeyHasItsFullPath() {
    assertThat(jsonError("{\"db\": {\"pool\": 1,\n \"pool\": 2}}"))
        .hasMessage("app.json:2:2: found duplicate key 'db.pool'");
  }

  @Test
  void repeatedObjectKeyIsADuplicateEvenWhenBothValuesAreObjects() {
    assertThat(jsonError("{\"db\": {\"a\": 1}, \"db\": {\"b\": 2}}"))
        .hasMessage("app.json:1:18: found duplicate key 'db'");
  }

  @Test
  void duplicateThroughADottedKeyPointsAtTheNestedKey() {
    assertThat(jsonError("{\"a.b\": 1, \"a\": {\"b\": 2}}"))
        .hasMessage("app.json:1:18: found duplicate key 'a.b'");
  }

  @Test
  void duplicateInsideAnArrayElement() {
    assertThat(jsonError("{\"s\": [{\"h\": 1, \"h\": 2}]}"))
        .hasMessage("app.json:1:17: found duplicate key 's[0].h'");
  }

  @Test
  void dottedKeysAreMergedWithObjects() {
    ConfigObject root = json("{\"db.host\": \"a\", \"db\": {\"port\": 1}}");

    assertThat(root.unwrapped()).isEqualTo(Map.of("db", Map.of("host", "a", "port", 1L)));
  }

  @Test
  void keysWithBracketsOrEmptySegmentsAreRejected() {
    ConfigParseException e = jsonError("{\"a[0]\": 1, \"\": 2, \"b..c\": 3}");

    assertThat(e.problems())
        .extracting(Problem::toString)
        .containsExactly(
            "app.json:1:2: key 'a[0]' contains '[', which is reserved for list indexes in paths",
            "app.json:1:13: empty key",
            "app.json:1:20: key 'b..c' has an empty segment");
  }

  @Test
  void lineCommentIsRejected() {
    assertThat(jsonError("// settings\n{\"a\": 1}"))
        .hasMessage("app.json:1:1: found a comment (not allowed in JSON)");
  }

  @Test
  void blockCommentIsRejected() {
    assertThat(jsonError("{\"a\": 1 /* one */}"))
        .hasMessage("app.json:1:9: found a comment (not allowed in JSON)");
  }

  @Test
  void hashCommentIsRejected() {
    assertThat(jsonError("# settings\n{\"a\": 1}"))
        .hasMessage("app.json:1:1: unexpected character '#': " + EXPECTED_VALUE);
  }

  @Test
  void singleQuotesAreRejected() {
    assertThat(jsonError("{'a': 1}"))
        .hasMessage(
            "app.json:1:2: unexpected character \"'\": was expecting double-quote to start field name");
    assertThat(jsonError("{\"a\": 'x'}"))
        .hasMessage("app.json:1:7: unexpected character \"'\": " + EXPECTED_VALUE);
  }

  @Test
  void unquotedKeyIsRejected() {
    assertThat(jsonError("{a: 1}"))
        .hasMessage(
            "app.json:1:2: unexpected character: was expecting double-quote to start field name");
  }

  @Test
  void missingColon() {
    assertThat(jsonError("{\"a\" 1}"))
        .hasMessage(
            "app.json:1:6: unexpected character: was expecting a colon to separate field name and value");
  }

  @Test
  void missingCommaBetweenEntries() {
    assertThat(jsonError("{\"a\": 1 \"b\": 2}"))
        .hasMessage(
            "app.json:1:9: unexpected character '\"': was expecting comma to separate Object entries");
    assertThat(jsonError("{\"a\": [1 2]}"))
        .hasMessage(
            "app.json:1:10: unexpected character: was expecting comma to separate Array entries");
  }

  @Test
  void unrecognizedTokenPointsAtItsStart() {
    assertThat(jsonError("{\"a\": tru}"))
        .hasMessage("app.json:1:7: unrecognized token: " + EXPECTED_VALUE);
    assertThat(jsonError("{\"a\":\n  yes}"))
        .hasMessage("app.json:2:3: unrecognized token: " + EXPECTED_VALUE);
  }

  @Test
  void nanAndInfinityAreRejected() {
    assertThat(jsonError("{\"a\": NaN}"))
        .hasMessage("app.json:1:7: found NaN or Infinity, which are not allowed in JSON");
    assertThat(jsonError("{\"a\": -Infinity}"))
        .hasMessage("app.json:1:7: found NaN or Infinity, which are not allowed in JSON");
  }

  @Test
  void leadingZeroIsRejected() {
    assertThat(jsonError("{\"a\": 010}"))
        .hasMessage("app.json:1:8: invalid number: leading zeroes are not allowed in JSON");
  }

  @Test
  void badNumbers() {
    assertThat(jsonError("{\"a\": -}"))
        .hasMessage(
            "app.json:1:8: unexpected character '}' in numeric value: "
                + "expected digit (0-9) to follow minus sign, for valid numeric value");
    assertThat(jsonError("{\"a\": 1.}"))
        .hasMessage(
            "app.json:1:8: unexpected character '}' in numeric value: Decimal point not followed by a digit");
  }

  @Test
  void controlCharacterInStringIsRejected() {
    assertThat(jsonError("{\"a\": \"x\ty\"}"))
        .hasMessage(
            "app.json:1:9: found a control character in a string (it must be escaped, e.g. \\n or \\t)");
  }

  @Test
  void invalidEscapesAreRejected() {
    assertThat(jsonError("{\"a\": \"\\q\"}"))
        .hasMessage("app.json:1:9: found an invalid escape sequence in a string");
    assertThat(jsonError("{\"a\": \"\\u00zz\"}"))
        .hasMessage(
            "app.json:1:12: unexpected character: expected a hex-digit for character escape sequence");
  }

  @Test
  void unclosedObjectSaysWhereItOpened() {
    assertThat(jsonError("{\"a\": 1"))
        .hasMessage(
            "app.json:1:8: unexpected end of document: the object opened at 1:1 is not closed");
  }

  @Test
  void unclosedArraySaysWhereItOpened() {
    assertThat(jsonError("{\"a\": [1,\n 2"))
        .hasMessage(
            "app.json:2:3: unexpected end of document: the array opened at 1:7 is not closed");
  }

  @Test
  void unclosedString() {
    assertThat(jsonError("{\"a\": \"abc"))
        .hasMessage("app.json:1:11: unexpected end of document inside a string");
  }

  @Test
  void mismatchedCloseMarker() {
    assertThat(jsonError("{\"a\": 1]"))
        .hasMessage(
            "app.json:1:8: unexpected close marker ']': expected '}' (for Object starting at 1:1)");
    assertThat(jsonError("{\"a\": 1}}"))
        .hasMessage("app.json:1:9: unexpected close marker '}': no open Object to close");
  }

  @Test
  void secondRootValueIsRejected() {
    assertThat(jsonError("{\"a\": 1}\n{\"b\": 2}"))
        .hasMessage("app.json:2:1: found content after the end of the JSON document");
  }

  @Test
  void emptyDocumentIsAnEmptyConfig() {
    assertThat(json("").isEmpty()).isTrue();
    assertThat(json(" \n\t\n").isEmpty()).isTrue();
    assertThat(json("{}").isEmpty()).isTrue();
  }

  @Test
  void scalarRootIsRejected() {
    assertThat(jsonError("\"text\""))
        .hasMessage("app.json:1:1: the document must be a JSON object, but it is a scalar");
    assertThat(jsonError("\n 42"))
        .hasMessage("app.json:2:2: the document must be a JSON object, but it is a scalar");
    assertThat(jsonError("null"))
        .hasMessage("app.json:1:1: the document must be a JSON object, but it is a scalar");
  }

  @Test
  void arrayRootIsRejected() {
    assertThat(jsonError("[1, 2]"))
        .hasMessage("app.json:1:1: the document must be a JSON object, but it is a list");
  }

  @Test
  void valuesAreTyped() {
    ConfigObject root =
        json(
            """
        {"s": "010", "i": 10, "big": 12345678901234567890, "f": 1.5, "e": 1e3,
         "t": true, "n": null, "yes": "yes", "nested": {"l": [1, "x", false]}}
        """);

    assertThat(value(root, "s")).isEqualTo("010");
    assertThat(value(root, "i")).isEqualTo(10L);
    assertThat(value(root, "big")).isEqualTo(new BigInteger("12345678901234567890"));
    assertThat(value(root, "f")).isEqualTo(1.5);
    assertThat(value(root, "e")).isEqualTo(1000.0);
    assertThat(value(root, "t")).isEqualTo(true);
    assertThat(value(root, "n")).isNull();
    assertThat(value(root, "yes")).isEqualTo("yes");
    assertThat(Parsing.scalar(root, "e").text()).isEqualTo("1e3");
    assertThat(root.get("nested").unwrapped()).hasToString("{l=[1, x, false]}");
  }

  @Test
  void byteOrderMarkIsSkipped() {
    assertThat(json("\uFEFF{\"a\": 1}").unwrapped()).isEqualTo(Map.of("a", 1L));
  }

  @Test
  void tenThousandLevelArrayNestingStopsAtTheFirstLevelOverTheLimit() {
    String doc = "{\"a\": " + "[".repeat(10_000) + "]".repeat(10_000) + "}";

    // the root object is level 1: the 64th '[' (column 70) opens level 65
    assertThat(jsonError(doc))
        .hasMessage("app.json:1:70: nesting depth exceeds the limit of 64 (maxNestingDepth)");
  }

  @Test
  void tenThousandLevelObjectNesting() {
    String doc = "{\"a\":".repeat(10_000) + "1" + "}".repeat(10_000);

    assertThat(jsonError(doc))
        .hasMessage("app.json:1:321: nesting depth exceeds the limit of 64 (maxNestingDepth)");
  }

  @Test
  void nestingAtTheLimitIsAccepted() {
    assertThat(json("{\"a\": " + "[".repeat(63) + "]".repeat(63) + "}").get("a")).isNotNull();
  }

  @Test
  void dottedKeysCountTowardsNestingDepth() {
    String key = String.join(".", java.util.Collections.nCopies(65, "k"));

    assertThat(jsonError("{\"" + key + "\": 1}").getMessage())
        .startsWith("app.json:1:2: key 'k.k.k")
        .endsWith("' makes the nesting depth exceed the limit of 64 (maxNestingDepth)");
  }

  @Test
  void documentOverFourMebibytesIsRejected() {
    byte[] big = new byte[4 * 1024 * 1024 + 1];
    java.util.Arrays.fill(big, (byte) ' ');

    assertThat(error(ConfigFormat.JSON, big, ParseLimits.defaults()))
        .hasMessage(
            "app.json: document is 4194305 bytes, over the limit of 4194304 bytes (maxDocumentBytes)");
  }

  @Test
  void hugeFlatArrayStopsAtMaxValues() {
    // about 1.3 million values in under 4 MiB: the parse stops at the 200,001st
    StringBuilder sb = new StringBuilder(4 * 1024 * 1024).append("{\"a\": [0");
    while (sb.length() < 4 * 1024 * 1024 - 10) {
      sb.append(",0");
    }
    sb.append("]}");

    assertThat(jsonError(sb.toString()))
        .hasMessage("app.json:1:400008: document has more than 200000 values (maxValues)");
  }

  @Test
  void maxValuesCountsEmptyContainersAsValues() {
    ParseLimits two = ParseLimits.builder().maxValues(2).build();

    ConfigParseException e =
        error(
            ConfigFormat.JSON,
            "{\"a\": {}, \"b\": [], \"c\": 1}".getBytes(StandardCharsets.UTF_8),
            two);

    assertThat(e).hasMessage("app.json:1:25: document has more than 2 values (maxValues)");
  }
}
