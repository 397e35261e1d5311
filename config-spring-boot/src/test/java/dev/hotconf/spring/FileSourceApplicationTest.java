package dev.hotconf.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hotconf.HotConfig;
import dev.hotconf.spring.apps.pool.PoolApp;
import dev.hotconf.testing.files.FileReplacement;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;

/**
 * A real web application (Tomcat on port 0, actuator, Hibernate Validator) with a file source: the
 * values at start, a valid edit seen by every reader, an invalid one rejected with its
 * file:line:col in the events, health and endpoint, and the recovery. One application for the class
 * (a context start costs seconds); the tests run in the order of the story.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class FileSourceApplicationTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir static Path dir;
  private Path appYaml;
  private ConfigurableApplicationContext app;
  private PoolApp.PoolUser user;
  private PoolApp.Events events;

  static String config(int max, String password) {
    return """
        db:
          url: jdbc:postgresql://db.internal/app
          password: %s
          pool:
            min: 2
            max: %d
            idle-timeout: 30s
        app:
          greeting: hello from hotconf
        """
        .formatted(password, max);
  }

  @BeforeAll
  void start() throws Exception {
    appYaml = Apps.write(dir.resolve("conf/app.yaml"), config(10, "s3cret-one"));
    Path applicationYaml =
        Apps.write(
            dir.resolve("application.yaml"),
            """
            hotconf:
              sources:
                - type: file
                  path: ${test.config.dir}/app.yaml
                  debounce: 50ms
              health:
                degraded-status: OUT_OF_SERVICE
            app:
              greeting: hello from application.yaml
            db:
              pool:
                max: 99
            server:
              port: 0
              address: 127.0.0.1
            management:
              endpoints:
                web:
                  exposure:
                    include: health,hotconf
              endpoint:
                health:
                  show-details: always
            """);
    app =
        Apps.run(
            PoolApp.class,
            WebApplicationType.SERVLET,
            applicationYaml,
            "--test.config.dir=" + appYaml.getParent());
    user = app.getBean(PoolApp.PoolUser.class);
    events = app.getBean(PoolApp.Events.class);
  }

  @AfterAll
  void stop() {
    if (app != null) {
      app.close();
    }
  }

  @Test
  @Order(1)
  void atStartEveryKindOfReaderSeesHotconfsValues() {
    Environment env = app.getEnvironment();
    assertThat(env.getProperty("db.pool.max")).isEqualTo("10"); // not application.yaml's 99
    assertThat(env.getProperty("db.pool.max", Integer.class)).isEqualTo(10);
    assertThat(user.url).isEqualTo("jdbc:postgresql://db.internal/app"); // @Value
    assertThat(app.getBean(PoolApp.Greeting.class).greeting()) // @ConfigurationProperties
        .isEqualTo("hello from hotconf");
    assertThat(user.pool.get()).isEqualTo(new PoolApp.Pool(2, 10, Duration.ofSeconds(30)));
    assertThat(user.supplier).isSameAs(user.pool);
    assertThat(app.getBean(HotConfig.class).version()).isEqualTo(1);
    assertThat(
            ((HotConfigPropertySource) app.getEnvironment().getPropertySources().get("hotconf"))
                .getOrigin("db.pool.max")
                .toString())
        .endsWith("app.yaml:6:10");
  }

  @Test
  @Order(2)
  void aValidEditReachesTheEnvironmentTheRecordAndTheListeners() throws Exception {
    PoolApp.Pool before = user.pool.get();
    FileReplacement.renameOver(appYaml, config(20, "s3cret-two"), ".app.yaml.tmp");

    await().atMost(WAIT).until(() -> user.pool.get().max() == 20);
    PoolApp.Pool after = user.pool.get();
    assertThat(after).isEqualTo(new PoolApp.Pool(2, 20, Duration.ofSeconds(30)));
    assertThat(after).isNotSameAs(before); // a new instance, swapped in whole
    assertThat(app.getEnvironment().getProperty("db.pool.max")).isEqualTo("20");
    assertThat(app.getEnvironment().getProperty("db.password")).isEqualTo("s3cret-two");
    await().atMost(WAIT).until(() -> !events.changes.isEmpty());
    HotConfigChangedEvent change = events.changes.get(0);
    assertThat(change.version()).isEqualTo(2);
    assertThat(change.previousVersion()).isEqualTo(1);
    assertThat(change.diff().toString())
        .contains("~ db.pool.max: 10 -> 20")
        .contains("~ db.password: <redacted> -> <redacted>")
        .doesNotContain("s3cret");
    assertThat(change.toString()).doesNotContain("s3cret");
  }

  @Test
  @Order(3)
  void anInvalidEditIsRejectedAndShowsInEventsHealthAndEndpoint() throws Exception {
    PoolApp.Pool live = user.pool.get();
    FileReplacement.renameOver(appYaml, config(-1, "s3cret-three"), ".app.yaml.tmp");

    await().atMost(WAIT).until(() -> !events.failures.isEmpty());
    HotConfigFailedEvent failure = events.failures.get(0);
    assertThat(failure.isRejection()).isTrue();
    assertThat(failure.failure().message())
        .endsWith("app.yaml:6:10: db.pool.max: must be greater than or equal to 1 but found -1")
        .doesNotContain("s3cret");
    // the application keeps its last good values, in every reader
    assertThat(user.pool.get()).isSameAs(live);
    assertThat(app.getEnvironment().getProperty("db.pool.max")).isEqualTo("20");
    assertThat(app.getEnvironment().getProperty("db.password")).isEqualTo("s3cret-two");
    assertThat(app.getBean(HotConfig.class).version()).isEqualTo(2);

    HttpResponse<String> health = Apps.get(app, "/actuator/health/hotconf");
    assertThat(health.statusCode()).isEqualTo(503); // degraded-status: OUT_OF_SERVICE
    assertThat(health.body())
        .contains("\"status\":\"OUT_OF_SERVICE\"")
        .contains("app.yaml:6:10: db.pool.max: must be greater than or equal to 1 but found -1")
        .doesNotContain("s3cret");

    HttpResponse<String> endpoint = Apps.get(app, "/actuator/hotconf");
    assertThat(endpoint.statusCode()).isEqualTo(200);
    assertThat(endpoint.body())
        .contains("\"version\":2")
        .contains("\"rejecting\":true")
        .contains("\"key\":\"db.pool.max\"")
        .containsPattern("\"file\":\"[^\"]*app\\.yaml\"")
        .contains("\"line\":6")
        .contains("\"column\":10")
        .doesNotContain("s3cret");

    MeterRegistry meters = app.getBean(MeterRegistry.class);
    assertThat(meters.get("hotconf.rejections").functionCounter().count()).isEqualTo(1);
    assertThat(meters.get("hotconf.reloads").functionCounter().count()).isEqualTo(2);
    assertThat(meters.get("hotconf.config.version").gauge().value()).isEqualTo(2);
    assertThat(meters.get("hotconf.source.up").gauge().value()).isEqualTo(1);
  }

  @Test
  @Order(4)
  void aFixedEditGoesLiveAndHealthRecovers() throws Exception {
    FileReplacement.renameOver(appYaml, config(30, "s3cret-two"), ".app.yaml.tmp");

    await().atMost(WAIT).until(() -> user.pool.get().max() == 30);
    assertThat(app.getBean(HotConfig.class).version()).isEqualTo(3);
    HttpResponse<String> health = Apps.get(app, "/actuator/health/hotconf");
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(health.body()).contains("\"status\":\"UP\"").contains("\"version\":3");
    assertThat(Apps.get(app, "/actuator/health").body()).contains("\"hotconf\"");
    await().atMost(WAIT).until(() -> events.changes.size() == 2);
    assertThat(events.changes.get(1).diff().toString()).isEqualTo("~ db.pool.max: 20 -> 30");
  }
}
