package dev.hotconf.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hotconf.ConfigException;
import dev.hotconf.HotConfig;
import dev.hotconf.Setting;
import dev.hotconf.spring.apps.plain.PlainApp;
import dev.hotconf.spring.apps.pool.PoolApp;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.ResolvableType;

/**
 * hotconf.* in application.yaml, parsed by hotconf's settings code: turning it off, backing off,
 * problems at application.yaml:line:col, a live record invalid at start, and the property source's
 * precedence. Small non-web applications.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class SettingsApplicationTest {
  @TempDir Path dir;

  private Path appYaml(int max) throws Exception {
    return Apps.write(
        dir.resolve("app.yaml"),
        """
        db:
          url: jdbc:postgresql://db.internal/app
          pool:
            min: 2
            max: %d
            idle-timeout: 30s
        only:
          in-hotconf: yes
        """
            .formatted(max));
  }

  private Path applicationYaml(String hotconf) throws Exception {
    return Apps.write(
        dir.resolve("application.yaml"),
        hotconf
            + """
            db:
              url: from-application-yaml
            only:
              in-application-yaml: true
            """);
  }

  private String fileSource() {
    return """
        hotconf:
          sources:
            - type: file
              path: %s
        """
        .formatted(dir.resolve("app.yaml"));
  }

  @Test
  void hotconfEnabledFalseTurnsItOff() throws Exception {
    appYaml(10);
    Path yaml = applicationYaml(fileSource() + "  enabled: false\n");
    try (ConfigurableApplicationContext app =
        Apps.run(PlainApp.class, WebApplicationType.NONE, yaml)) {
      assertThat(app.getBeanNamesForType(HotConfig.class)).isEmpty();
      assertThat(app.getEnvironment().getPropertySources().contains("hotconf")).isFalse();
      assertThat(app.getEnvironment().getProperty("db.url")).isEqualTo("from-application-yaml");
    }
  }

  @Test
  void withoutHotconfKeysNothingStarts() throws Exception {
    Path yaml = applicationYaml("");
    try (ConfigurableApplicationContext app =
        Apps.run(PlainApp.class, WebApplicationType.NONE, yaml)) {
      assertThat(app.getBeanNamesForType(HotConfig.class)).isEmpty();
      assertThat(app.getEnvironment().getPropertySources().contains("hotconf")).isFalse();
    }
  }

  @Test
  void badSettingsFailTheStartWithEveryProblemAtItsApplicationYamlPosition() throws Exception {
    Path yaml =
        applicationYaml(
            """
            hotconf:
              sources:
                - type: file
                  path: %s
                  debounce: soon
                - type: carrier-pigeon
              start-timeout: 0s
              strikt: true
            """
                .formatted(dir.resolve("app.yaml")));
    assertThatThrownBy(() -> Apps.run(PlainApp.class, WebApplicationType.NONE, yaml))
        .satisfies(
            e ->
                assertThat(Apps.cause(e, ConfigException.class).problems())
                    .map(Object::toString)
                    .anySatisfy(
                        p ->
                            assertThat(p)
                                .contains(
                                    "application.yaml:5:17: hotconf.sources[0].debounce: expected a"
                                        + " duration like 250ms, 5s, 2m or PT1H but found 'soon'"))
                    .anySatisfy(
                        p ->
                            assertThat(p)
                                .contains("application.yaml:6:13: hotconf.sources[1].type: "))
                    .anySatisfy(
                        p ->
                            assertThat(p)
                                .contains("application.yaml:7:18: hotconf.start-timeout: "))
                    .anySatisfy(
                        p ->
                            assertThat(p)
                                .contains("application.yaml:8:11: hotconf.strikt: unknown key")));
  }

  @Test
  void aLiveRecordThatViolatesItsConstraintsAtStartFailsTheStart() throws Exception {
    Path app = appYaml(0);
    Path yaml = applicationYaml(fileSource());
    assertThatThrownBy(() -> Apps.run(PoolApp.class, WebApplicationType.NONE, yaml))
        .satisfies(
            e ->
                assertThat(Apps.cause(e, ConfigException.class))
                    .hasMessage(
                        app
                            + ":5:10: db.pool.max: must be greater than or equal to 1 but found 0"));
  }

  @Test
  void hotconfSchemaValidatesTheConfigurationThroughConfigSchema() throws Exception {
    Path app = appYaml(500);
    Apps.write(
        dir.resolve("schema.yaml"),
        """
        type: object
        properties:
          db:
            type: object
            properties:
              pool:
                type: object
                properties:
                  max: {type: integer, maximum: 100}
        """);
    // an invalid first version fails the start only once start-timeout (default 30 s) has passed
    // without a valid one: 5 s is plenty for the file source's first read
    Path yaml =
        applicationYaml(
            fileSource()
                + "  schema: "
                + dir.resolve("schema.yaml")
                + "\n"
                + "  start-timeout: 5s\n");
    assertThatThrownBy(() -> Apps.run(PlainApp.class, WebApplicationType.NONE, yaml))
        .satisfies(
            e ->
                assertThat(Apps.cause(e, ConfigException.class).getMessage())
                    .contains(app + ":5:10: db.pool.max: "));
  }

  @Test
  void beforeConfigFilesLetsCommandLineArgumentsOverrideHotconf() throws Exception {
    appYaml(10);
    Path yaml = applicationYaml(fileSource() + "  precedence: before-config-files\n");
    try (ConfigurableApplicationContext app =
        Apps.run(PoolApp.class, WebApplicationType.NONE, yaml, "--db.pool.min=7")) {
      assertThat(app.getEnvironment().getProperty("db.pool.min")).isEqualTo("7");
      assertThat(app.getEnvironment().getProperty("db.url")) // hotconf above application.yaml
          .isEqualTo("jdbc:postgresql://db.internal/app");
      // the live record reads hotconf's configuration only, whatever the precedence
      Setting<PoolApp.Pool> pool = poolSetting(app);
      assertThat(pool.get().min()).isEqualTo(2);
    }
  }

  @Test
  void lastOnlyFillsKeysNothingElseSets() throws Exception {
    appYaml(10);
    Path yaml = applicationYaml(fileSource() + "  precedence: last\n");
    try (ConfigurableApplicationContext app =
        Apps.run(PlainApp.class, WebApplicationType.NONE, yaml)) {
      assertThat(app.getEnvironment().getProperty("db.url")).isEqualTo("from-application-yaml");
      assertThat(app.getEnvironment().getProperty("only.in-hotconf")).isEqualTo("yes");
      assertThat(app.getEnvironment().getProperty("only.in-application-yaml")).isEqualTo("true");
    }
  }

  @SuppressWarnings("unchecked")
  private static Setting<PoolApp.Pool> poolSetting(ConfigurableApplicationContext app) {
    return (Setting<PoolApp.Pool>)
        app.getBeanProvider(ResolvableType.forClassWithGenerics(Setting.class, PoolApp.Pool.class))
            .getObject();
  }
}
