package dev.hotconf.consul;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A source's settings and a connection take the ACL token with the same checks and the same words
 * (one {@link Credentials} class); each builder keeps its own exception type for a contradiction.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class CredentialsTest {
  @TempDir Path dir;

  /** The same calls on both builders: their failures, source's first. */
  private static Throwable[] both(
      Function<ConsulSourceConfig.Builder, ?> onSource,
      Function<ConsulConnection.Builder, ?> onConnection) {
    return new Throwable[] {
      catchThrowable(() -> onSource.apply(ConsulSourceConfig.key("k"))),
      catchThrowable(() -> onConnection.apply(ConsulConnection.builder()))
    };
  }

  @Test
  void aSecondWayOfGivingTheTokenIsRefusedInTheSameWordsByBothBuilders() throws Exception {
    Path file = Files.writeString(dir.resolve("token"), "from-file");
    Throwable[] t =
        both(b -> b.token("literal").tokenFile(file), b -> b.token("literal").tokenFile(file));
    assertThat(t[0])
        .isInstanceOf(IllegalArgumentException.class) // the settings layer reports it at line:col
        .hasMessage(
            "tokenFile: cannot be combined with token: give the ACL token one way only"
                + " (token, tokenFile or tokenFromEnv)");
    assertThat(t[1]).isInstanceOf(IllegalStateException.class).hasMessage(t[0].getMessage());

    t =
        both(
            b -> b.tokenFile(file).tokenFromEnv("T", v -> "from-env"),
            b -> b.tokenFile(file).tokenFromEnv("T", v -> "from-env"));
    assertThat(t[1]).hasMessage(t[0].getMessage()).hasMessageNotContaining("from-");
  }

  @Test
  void badTokensGetTheSameMessageFromBothBuilders() {
    Throwable[] blank = both(b -> b.token("  "), b -> b.token("  "));
    assertThat(blank[0]).hasMessage("token: the token must not be blank");
    assertThat(blank[1])
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("token: the token must not be blank");

    Throwable[] noName =
        both(b -> b.tokenFromEnv(" ", v -> "x"), b -> b.tokenFromEnv(" ", v -> "x"));
    assertThat(noName[0]).hasMessage("tokenFromEnv: the variable name must not be blank");
    assertThat(noName[1]).hasMessage(noName[0].getMessage());

    Throwable[] unset =
        both(b -> b.tokenFromEnv("NOPE", v -> null), b -> b.tokenFromEnv("NOPE", v -> null));
    assertThat(unset[1]).hasMessage("tokenFromEnv: environment variable NOPE is not set or empty");
    assertThat(unset[0]).hasMessage(unset[1].getMessage());

    Path missing = dir.resolve("missing");
    Throwable[] file = both(b -> b.tokenFile(missing), b -> b.tokenFile(missing));
    assertThat(file[0])
        .hasMessage("tokenFile: " + missing + " does not exist or is not a readable file");
    assertThat(file[1]).hasMessage(file[0].getMessage());
  }

  @Test
  void aConnectionFromASourceCarriesItsTokenAndNeverShowsIt() {
    ConsulSourceConfig source =
        ConsulSourceConfig.key("k").address("127.0.0.1:8500").token("s3cr3t-token").build();
    ConsulConnection of = ConsulConnection.of(source);
    ConsulConnection built = ConsulConnection.builder(source).build();
    assertThat(of.hasToken()).isTrue();
    assertThat(built.hasToken()).isTrue();
    assertThat(source.toString()).doesNotContain("s3cr3t");
    assertThat(of.toString()).doesNotContain("s3cr3t");
    // a token method on the builder replaces the source's token without a conflict
    assertThat(ConsulConnection.builder(source).token("other").build().hasToken()).isTrue();
  }
}
