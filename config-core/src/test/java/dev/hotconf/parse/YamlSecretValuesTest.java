package dev.hotconf.parse;

import static dev.hotconf.parse.Parsing.yamlError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hotconf.Problem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * An unquoted value starting with {@code *} or {@code !} is an alias or a tag to YAML: under a
 * secret key (a forgotten quote around a password), its name is the secret, so messages do not
 * quote it there. Elsewhere they do (the name helps find the mistake).
 */
@Timeout(10)
class YamlSecretValuesTest {
  private static final String ONLY_CORE =
      ": only the YAML core tags (!!str, !!int, !!float, !!bool, !!null, !!map, !!seq) are allowed";

  @Test
  void anUnquotedPasswordStartingWithAStarIsAnUndefinedAliasWhoseNameIsNotShown() {
    assertThat(yamlError("db:\n  password: *hunter2x\n").problems())
        .extracting(Problem::toString)
        .containsExactly("app.yaml:2:13: found undefined alias");
    assertThat(yamlError("tokens: [*s3cr3t]\n").problems())
        .extracting(Problem::toString)
        .containsExactly("app.yaml:1:10: found undefined alias");
  }

  @Test
  void anUnquotedApiKeyStartingWithABangIsAnUnsupportedTagWhoseNameIsNotShown() {
    assertThat(yamlError("auth:\n  api-key: !k3y-material rest\n").problems())
        .extracting(Problem::toString)
        .containsExactly("app.yaml:2:12: found unsupported tag" + ONLY_CORE);
    assertThat(yamlError("client-secret: !sec [1]\n").problems())
        .extracting(Problem::toString)
        .containsExactly("app.yaml:1:16: found unsupported tag" + ONLY_CORE);
  }

  @Test
  void aliasAndTagNamesAreStillShownUnderOrdinaryKeys() {
    assertThat(yamlError("db:\n  host: *nope\n").problems())
        .extracting(Problem::toString)
        .containsExactly("app.yaml:2:9: found undefined alias '*nope'");
    assertThat(yamlError("db:\n  host: !foo bar\n").problems())
        .extracting(Problem::toString)
        .containsExactly("app.yaml:2:9: found unsupported tag '!foo'" + ONLY_CORE);
  }
}
