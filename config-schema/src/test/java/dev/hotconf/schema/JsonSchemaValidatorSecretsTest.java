package dev.hotconf.schema;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hotconf.ConfigOrigin;
import dev.hotconf.Problem;
import dev.hotconf.Redactor;
import dev.hotconf.parse.ConfigFormat;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The allowed values ({@code enum}, {@code const}) of a secret key are secrets too: a valid value
 * is one of them. Messages about such keys never list them; about other keys they still do.
 */
@Timeout(30)
class JsonSchemaValidatorSecretsTest {
  private static List<String> problems(String schema, String config) {
    JsonSchemaValidator v =
        JsonSchemaValidator.fromTree(
            ConfigFormat.JSON.parse(
                schema.getBytes(StandardCharsets.UTF_8), ConfigOrigin.of("schema", "s.json")));
    return v
        .check(
            ConfigFormat.YAML.parse(
                config.getBytes(StandardCharsets.UTF_8), ConfigOrigin.of("app", "app.yaml")),
            Redactor.defaults())
        .stream()
        .map(Problem::toString)
        .toList();
  }

  @Test
  void enumOfASecretKeyIsNotListed() {
    List<String> p =
        problems(
            """
        {"properties": {"db": {"properties": {"password": {"enum": ["Correct-Horse-1", "Battery-Staple-2"]}}}}}
        """,
            "db:\n  password: wrong-guess\n");
    assertThat(p)
        .containsExactly(
            "app.yaml:2:13: db.password: <redacted> is not one of the allowed values (not shown: the key is secret)");
  }

  @Test
  void constOfASecretKeyIsNotShownEvenInsideAnyOf() {
    List<String> p =
        problems(
            """
        {"properties": {"api-key": {"anyOf": [{"const": "k-one-AAAA"}, {"const": "k-two-BBBB"}]},
                        "client_secret": {"const": "only-this-CCCC"}}}
        """,
            "api-key: nope\nclient_secret: other\n");
    assertThat(String.join("\n", p))
        .doesNotContain("AAAA", "BBBB", "CCCC", "nope", "other")
        .contains(
            "client_secret: <redacted> is not the required value (not shown: the key is secret)");
  }

  @Test
  void enumAndConstOfOrdinaryKeysAreStillListed() {
    List<String> p =
        problems(
            """
        {"properties": {"mode": {"enum": ["fast", "safe"]}, "region": {"const": "eu"}}}
        """,
            "mode: slow\nregion: us\n");
    assertThat(p)
        .containsExactly(
            "app.yaml:1:7: mode: 'slow' is not one of 'fast', 'safe'",
            "app.yaml:2:9: region: 'us' is not the required value \"eu\"");
  }
}
