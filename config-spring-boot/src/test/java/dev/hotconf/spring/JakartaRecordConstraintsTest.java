package dev.hotconf.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hotconf.HotConfig;
import dev.hotconf.Problem;
import dev.hotconf.bind.DefaultValue;
import dev.hotconf.bind.Name;
import dev.hotconf.parse.ConfigFormat;
import dev.hotconf.source.Sources;
import dev.hotconf.validate.ValidationContext;
import jakarta.validation.Valid;
import jakarta.validation.Validation;
import jakarta.validation.ValidatorFactory;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Jakarta violations land at the configuration key as written and at the offending value's
 * position: nested records, list elements, map values, every spelling the binder accepts, a
 * {@code @Name}d component, defaults; secret values never show, even through a message template
 * that interpolates them.
 */
class JakartaRecordConstraintsTest {
  private static ValidatorFactory factory;
  private static JakartaRecordConstraints constraints;

  record Server(@NotBlank String host, @Min(1) @Max(65535) int port) {}

  record Cluster(
      @Min(1) int poolMax,
      @Valid List<Server> servers,
      List<@NotBlank String> tags,
      Map<String, @Min(0) Integer> limits,
      @Valid Server primary,
      @Name("wait") @Max(60) long waitSeconds,
      @Size(min = 8, message = "too short: ${validatedValue}") String apiToken,
      @Size(min = 8) String password,
      @DefaultValue("0") @Min(1) int retries) {}

  record Unconstrained(int a, Duration b) {}

  static final String YAML =
      """
      cluster:
        pool_max: 0
        servers:
          - host: a
            port: 80
          - host: ""
            port: 0
        tags: [x, " "]
        limits:
          a: -1
        primary:
          host: b
          port: 70000
        wait: 61
        api-token: abc123
        password: pw
      """;

  @BeforeAll
  static void validator() {
    factory = Validation.buildDefaultValidatorFactory();
    constraints = new JakartaRecordConstraints(factory.getValidator());
  }

  @AfterAll
  static void close() {
    factory.close();
  }

  @Test
  void everyViolationIsAProblemAtTheWrittenKeyAndItsPosition() {
    try (HotConfig config =
        HotConfig.builder().source(Sources.text("app.yaml", ConfigFormat.YAML, YAML)).build()) {
      ValidationContext ctx = new ValidationContext(config.snapshot(), config.redactor());
      new LiveRecordValidator.Rule("cluster", Cluster.class, null, constraints).check(ctx);

      assertThat(ctx.problems())
          .map(Problem::toString)
          .containsExactly(
              "app.yaml:15:14: cluster.api-token: violates @Size (message withheld: it would show the"
                  + " secret value) but found <redacted>",
              "app.yaml:10:8: cluster.limits.a: must be greater than or equal to 0 but found -1",
              "app.yaml:16:13: cluster.password: size must be between 8 and 2147483647 but found"
                  + " <redacted>",
              "app.yaml:2:13: cluster.pool_max: must be greater than or equal to 1 but found 0",
              "app.yaml:13:11: cluster.primary.port: must be less than or equal to 65535 but found"
                  + " 70000",
              "app.yaml:2:3: cluster.retries: must be greater than or equal to 1 (the default value)",
              "app.yaml:6:13: cluster.servers[1].host: must not be blank but found ''",
              "app.yaml:7:13: cluster.servers[1].port: must be greater than or equal to 1 but found 0",
              "app.yaml:8:13: cluster.tags[1]: must not be blank but found ' '",
              "app.yaml:14:9: cluster.wait: must be less than or equal to 60 but found 61");
    }
  }

  @Test
  void aRecordWithoutConstraintsNeedsNoCheck() {
    assertThat(constraints.constrains(Unconstrained.class)).isFalse();
    assertThat(constraints.constrains(Cluster.class)).isTrue();
  }
}
