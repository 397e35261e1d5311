package dev.hotconf.parse;

import static dev.hotconf.parse.Parsing.yamlError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.hotconf.ConfigOrigin;
import dev.hotconf.ConfigParseException;
import dev.hotconf.ConfigStartupException;
import dev.hotconf.HotConfig;
import dev.hotconf.Problem;
import dev.hotconf.Redactor;
import dev.hotconf.source.MemorySource;
import dev.hotconf.source.Sources;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
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

  @Test
  void aCustomRedactorDecidesWhichNamesAreNotShown() {
    Redactor pins = Redactor.defaultsPlus("(^|\\.)pin$");
    byte[] doc = "card:\n  pin: *1234abcd\n  code: !5678 x\n".getBytes(StandardCharsets.UTF_8);
    ConfigOrigin origin = ConfigOrigin.of("file", "app.yaml");

    ConfigParseException e =
        catchThrowableOfType(
            ConfigParseException.class,
            () -> ConfigFormat.YAML.parse(doc, origin, ParseLimits.defaults(), pins));

    assertThat(e.problems())
        .extracting(Problem::toString)
        .containsExactly("app.yaml:2:8: found undefined alias");
    // the default redactor does not know "pin": the name is shown, as before
    assertThat(yamlError("card:\n  pin: *1234abcd\n").getMessage()).contains("'*1234abcd'");
  }

  @Test
  void aConfigurationsRedactorReachesTheParsersOfItsSources() {
    MemorySource source = Sources.text("app.yaml", ConfigFormat.YAML, "card:\n  pin: *1234abcd\n");
    HotConfig.Builder builder =
        HotConfig.builder()
            .source(source)
            .redactor(Redactor.defaultsPlus("(^|\\.)pin$"))
            .startTimeout(Duration.ofMillis(200));

    ConfigStartupException e = catchThrowableOfType(ConfigStartupException.class, builder::build);

    assertThat(e.getMessage()).contains("found undefined alias").doesNotContain("1234abcd");
  }
}
