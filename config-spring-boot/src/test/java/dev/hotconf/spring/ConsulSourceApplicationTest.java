package dev.hotconf.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hotconf.HotConfig;
import dev.hotconf.spring.apps.pool.PoolApp;
import dev.hotconf.testing.consul.ConsulTestServer;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The same story as {@link FileSourceApplicationTest} with a Consul source (the protocol-faithful
 * ConsulTestServer on loopback): a valid version reaches the environment, the live record and the
 * listeners; an invalid one is rejected with its position in the Consul key, the record stays, and
 * the endpoint and health contributor say why. A non-web application: health and endpoint are asked
 * directly.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class ConsulSourceApplicationTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String KEY = "config/app/data";

  @TempDir Path dir;

  static String config(int max) {
    return """
        db:
          url: jdbc:postgresql://db.internal/app
          pool:
            min: 2
            max: %d
            idle-timeout: 30s
        app:
          greeting: hello from consul
        """
        .formatted(max);
  }

  @Test
  void aConsulSourceWorksTheSameWay() throws Exception {
    try (ConsulTestServer consul = new ConsulTestServer().start()) {
      consul.put(KEY, config(10));
      Path yaml =
          Apps.write(
              dir.resolve("application.yaml"),
              """
              hotconf:
                sources:
                  - type: consul
                    address: %s
                    key: %s
                    rate-limit-refill: 50ms
              server:
                port: 0
                address: 127.0.0.1
              management:
                endpoints.web.exposure.include: health,hotconf
                endpoint.health.show-details: always
              """
                  .formatted(consul.url(), KEY));
      try (ConfigurableApplicationContext app =
          Apps.run(PoolApp.class, WebApplicationType.SERVLET, yaml)) {
        PoolApp.PoolUser user = app.getBean(PoolApp.PoolUser.class);
        PoolApp.Events events = app.getBean(PoolApp.Events.class);
        assertThat(user.pool.get().max()).isEqualTo(10);
        assertThat(app.getBean(PoolApp.Greeting.class).greeting()).isEqualTo("hello from consul");

        consul.put(KEY, config(20));
        await().atMost(WAIT).until(() -> user.pool.get().max() == 20);
        assertThat(app.getEnvironment().getProperty("db.pool.max")).isEqualTo("20");
        await().atMost(WAIT).until(() -> !events.changes.isEmpty());
        assertThat(events.changes.get(0).version()).isEqualTo(2);
        assertThat(events.changes.get(0).diff().toString()).isEqualTo("~ db.pool.max: 10 -> 20");

        PoolApp.Pool live = user.pool.get();
        consul.put(KEY, config(-1));
        await().atMost(WAIT).until(() -> !events.failures.isEmpty());
        String problem = events.failures.get(0).failure().message();
        assertThat(problem)
            .startsWith("consul:" + KEY + "@")
            .endsWith(":5:10: db.pool.max: must be greater than or equal to 1 but found -1");
        assertThat(user.pool.get()).isSameAs(live);
        assertThat(app.getEnvironment().getProperty("db.pool.max")).isEqualTo("20");
        assertThat(app.getBean(HotConfig.class).version()).isEqualTo(2);

        HttpResponse<String> endpoint = Apps.get(app, "/actuator/hotconf");
        assertThat(endpoint.statusCode()).isEqualTo(200);
        assertThat(endpoint.body())
            .contains("\"version\":2")
            .contains("\"rejecting\":true")
            .contains("\"state\":\"OK\"")
            .contains("\"key\":\"db.pool.max\"")
            .contains("\"file\":\"consul:" + KEY + "@")
            .contains("\"line\":5")
            .contains("\"column\":10");
        HotConfigEndpoint.Report report = app.getBean(HotConfigEndpoint.class).report();
        assertThat(report.lastRejection().problems())
            .singleElement()
            .satisfies(p -> assertThat(p.text()).isEqualTo(problem));

        HttpResponse<String> health = Apps.get(app, "/actuator/health/hotconf");
        assertThat(health.statusCode()).isEqualTo(200); // degraded-status defaults to UP
        assertThat(health.body()).contains("\"status\":\"UP\"").contains(problem);
      }
    }
  }
}
