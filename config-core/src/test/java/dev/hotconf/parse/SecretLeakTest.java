package dev.hotconf.parse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hotconf.ConfigParseException;
import dev.hotconf.Problem;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Error messages never quote values: a broken document holding a secret must not echo any part of
 * it, whatever the error. (Messages do quote keys, tags and alias names, which are structure.)
 */
@Timeout(10)
class SecretLeakTest {
  // no three characters of it appear in any message
  private static final String SECRET = "Zq9Xw7Kp3Vj2";

  static Stream<Arguments> brokenDocuments() {
    String s = SECRET;
    return Stream.of(
        // JSON
        Arguments.of(ConfigFormat.JSON, "{\"password\": secretvalue}".replace("secretvalue", s)),
        Arguments.of(ConfigFormat.JSON, "{\"password\": " + s + "}"),
        Arguments.of(ConfigFormat.JSON, "{\"password\": " + s),
        Arguments.of(ConfigFormat.JSON, "{\"password\": \"" + s),
        Arguments.of(ConfigFormat.JSON, "{\"password\": \"" + s + "\" \"x\"}"),
        Arguments.of(ConfigFormat.JSON, "{\"password\": '" + s + "'}"),
        Arguments.of(ConfigFormat.JSON, "{\"password\": 12" + s + "}"),
        Arguments.of(ConfigFormat.JSON, "{\"password\": true" + s + "}"),
        Arguments.of(ConfigFormat.JSON, "{\"password\": \"" + s + "\\q\"}"),
        Arguments.of(ConfigFormat.JSON, "{\"password\": \"" + s + "\\u00" + s + "\"}"),
        Arguments.of(ConfigFormat.JSON, "{\"password\": \"" + s + "\t\"}"),
        Arguments.of(ConfigFormat.JSON, "{\"password\": [\"" + s + "\",]}"),
        Arguments.of(ConfigFormat.JSON, "{\"password\": \"" + s + "\",}"),
        Arguments.of(ConfigFormat.JSON, "{\"password\": \"" + s + "\"} " + s),
        Arguments.of(ConfigFormat.JSON, "{\"password\": \"" + s + "\"}}"),
        Arguments.of(ConfigFormat.JSON, "[\"" + s + "\"]"),
        Arguments.of(ConfigFormat.JSON, "\"" + s + "\""),
        Arguments.of(ConfigFormat.JSON, "{" + s + ": 1}"),
        Arguments.of(ConfigFormat.JSON, "{\"password\": -" + s + "}"),
        Arguments.of(ConfigFormat.JSON, "{\"password\": 1." + s + "}"),
        Arguments.of(ConfigFormat.JSON, "{\"password\": /" + s + "}"),
        Arguments.of(ConfigFormat.JSON, "{\"password\": \"a\"\n" + s + "}"),
        // YAML
        Arguments.of(ConfigFormat.YAML, "password: \"" + s + "\\q\"\n"),
        Arguments.of(ConfigFormat.YAML, "password: \"\\u" + s + "\"\n"),
        Arguments.of(ConfigFormat.YAML, "password: \"\\x" + s + "\"\n"),
        Arguments.of(ConfigFormat.YAML, "password: | " + s + "\n"),
        Arguments.of(ConfigFormat.YAML, "password: > " + s + "\n"),
        Arguments.of(ConfigFormat.YAML, "password: \"" + s + "\n"),
        Arguments.of(ConfigFormat.YAML, "password: '" + s + "\n"),
        Arguments.of(ConfigFormat.YAML, "password: [" + s + "\n"),
        Arguments.of(ConfigFormat.YAML, "password: {" + s + "\n"),
        Arguments.of(ConfigFormat.YAML, "password: " + s + "\n\tother: 1\n"),
        Arguments.of(ConfigFormat.YAML, "password: " + s + ": x\n"),
        Arguments.of(ConfigFormat.YAML, "password: @" + s + "\n"),
        Arguments.of(ConfigFormat.YAML, "password: `" + s + "\n"),
        Arguments.of(ConfigFormat.YAML, "password: &" + s + " *" + s + "\n"),
        Arguments.of(ConfigFormat.YAML, "password: !!int " + s + "\n"),
        Arguments.of(ConfigFormat.YAML, "password: !!bool " + s + "\n"),
        Arguments.of(ConfigFormat.YAML, "password: !!null " + s + "\n"),
        Arguments.of(ConfigFormat.YAML, "password: !!binary " + s + "\n"),
        Arguments.of(ConfigFormat.YAML, "password: " + s + "\u0001\n"),
        Arguments.of(ConfigFormat.YAML, "password: " + s + "\n---\nx: 1\n"),
        Arguments.of(ConfigFormat.YAML, s + "\n"),
        Arguments.of(ConfigFormat.YAML, "- " + s + "\n"),
        Arguments.of(ConfigFormat.YAML, "password: " + s + "\npassword: " + s + "\n"),
        Arguments.of(ConfigFormat.YAML, "password: " + s + "\n b: 1\n"),
        Arguments.of(ConfigFormat.YAML, "password:\n  - x\n  " + s + "\n"),
        Arguments.of(ConfigFormat.YAML, "password: " + s + "\n...\n" + s + "\n"),
        Arguments.of(ConfigFormat.YAML, "password: [" + s + "]]\n"),
        Arguments.of(ConfigFormat.YAML, "password: \"" + s + "\" " + s + "\n"),
        Arguments.of(ConfigFormat.YAML, "password: [" + s + ", {" + s + "\n"),
        // properties
        Arguments.of(ConfigFormat.PROPERTIES, "password=" + s + "\\u12\n"),
        Arguments.of(ConfigFormat.PROPERTIES, "password=" + s + "\npassword=" + s + "\n"),
        Arguments.of(ConfigFormat.PROPERTIES, "password=" + s + "\npassword.x=1\n"),
        Arguments.of(ConfigFormat.PROPERTIES, "password=" + s + "\u0000\n"));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("brokenDocuments")
  void errorMessagesNeverQuoteValues(ConfigFormat format, String document) {
    ConfigParseException e = Parsing.error(format, document);

    assertThat(e.getMessage()).doesNotContain(SECRET.substring(0, 4));
    for (Problem p : e.problems()) {
      for (int i = 0; i + 3 <= SECRET.length(); i++) {
        assertThat(p.message()).as("problem message").doesNotContain(SECRET.substring(i, i + 3));
      }
    }
  }
}
