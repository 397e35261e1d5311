package dev.hotconf.consul;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.hotconf.HotConfig;
import dev.hotconf.IntSetting;
import dev.hotconf.Setting;
import dev.hotconf.source.Sources;
import dev.hotconf.testing.consul.ConsulTestServer;
import dev.hotconf.testing.consul.ConsulTestServerExtension;
import dev.hotconf.testing.consul.Fault;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** End to end through HotConfig, the worker thread, and prompt close. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ConsulSourceLifecycleTest {
  private static final String KEY = "config/app/data";

  @RegisterExtension final ConsulTestServerExtension consul = new ConsulTestServerExtension();

  private static Thread worker(String path) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().equals("hotconf-consul-" + path) && t.isAlive())
        .findFirst()
        .orElse(null);
  }

  @Test
  void aPutPropagatesToHotConfigAccessors() {
    ConsulTestServer server = consul.server();
    server.put(KEY, "db:\n  pool:\n    max: 10\n");
    server.put("config/flags/beta", "false");
    try (HotConfig config =
        HotConfig.builder()
            .source(Sources.memory("defaults", Map.of("db.pool.max", 1, "db.pool.min", 2)))
            .source(ConsulSource.create(TestConfigs.key(server, KEY).build()))
            .source(ConsulSource.create(TestConfigs.prefix(server, "config/flags").build()))
            .build()) {
      IntSetting max = config.intSetting("db.pool.max");
      IntSetting min = config.intSetting("db.pool.min");
      Setting<Boolean> beta = config.setting("beta", Boolean.class);
      assertThat(max.getAsInt()).isEqualTo(10);
      assertThat(min.getAsInt()).isEqualTo(2);
      assertThat(beta.get()).isFalse();
      assertThat(max.origin().location()).startsWith("consul:" + KEY + "@");

      long version = config.version();
      long modifyIndex = server.put(KEY, "db:\n  pool:\n    max: 25\n");
      await().atMost(Duration.ofSeconds(5)).until(() -> max.getAsInt() == 25);
      assertThat(max.origin().toString()).isEqualTo("consul:" + KEY + "@" + modifyIndex + ":3:10");
      assertThat(config.version()).isEqualTo(version + 1);

      server.put("config/flags/beta", "true");
      await().atMost(Duration.ofSeconds(5)).until(beta::get);
    }
  }

  @Test
  void oneDaemonWorkerNamedAfterTheKeyWhichCloseStopsPromptlyDuringABlockingQuery() {
    ConsulTestServer server = consul.server();
    server.put(KEY, "a: 1");
    ConsulSource source =
        ConsulSource.create(
            TestConfigs.key(server, KEY)
                .waitTime(Duration.ofMinutes(5))
                .readTimeoutMargin(Duration.ofSeconds(15))
                .build());
    RecordingListener listener = new RecordingListener();
    source.start(listener);
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> listener.contents().size() == 1 && server.blockedQueryCount() == 1);
    Thread worker = worker(KEY);
    assertThat(worker).isNotNull();
    assertThat(worker.isDaemon()).isTrue();

    long start = System.nanoTime();
    source.close();
    long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertThat(tookMillis).isLessThan(1000);
    assertThat(worker.isAlive()).isFalse();
    assertThat(worker(KEY)).isNull();
    assertThat(listener.failures()).as("closing is not a failure").isEmpty();
    source.close(); // idempotent
  }

  @Test
  void closeStopsPromptlyDuringBackoff() {
    ConsulTestServer server = consul.server();
    server.enqueue(Fault.serviceUnavailable().untilCleared());
    ConsulSource source =
        ConsulSource.create(
            TestConfigs.key(server, KEY)
                .backoff(Duration.ofSeconds(30), Duration.ofSeconds(60))
                .build());
    RecordingListener listener = new RecordingListener();
    source.start(listener);
    await().atMost(Duration.ofSeconds(5)).until(() -> listener.failures().size() == 1);
    Thread worker = worker(KEY);
    assertThat(worker).isNotNull();

    long start = System.nanoTime();
    source.close();
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(1000);
    assertThat(worker.isAlive()).isFalse();
  }

  @Test
  void closeStopsPromptlyWhileRateLimited() {
    ConsulTestServer server = consul.server();
    server.put(KEY, "a: 1");
    server.enqueue(Fault.indexZero().untilCleared()); // every answer at once: the bucket runs dry
    ConsulSource source =
        ConsulSource.create(
            TestConfigs.key(server, KEY).rateLimit(1, Duration.ofMinutes(10)).build());
    RecordingListener listener = new RecordingListener();
    source.start(listener);
    // the free first read, then the only token; the third read waits for a refill in 10 minutes
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> listener.contents().size() == 1 && server.requestCount() == 2);
    Thread worker = worker(KEY);

    long start = System.nanoTime();
    source.close();
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(1000);
    assertThat(worker == null || !worker.isAlive()).isTrue();
    assertThat(server.requestCount()).isEqualTo(2);
  }

  @Test
  void hotConfigCloseStopsTheWorker() {
    ConsulTestServer server = consul.server();
    server.put(KEY, "a: 1");
    HotConfig config =
        HotConfig.builder()
            .source(ConsulSource.create(TestConfigs.key(server, KEY).build()))
            .build();
    Thread worker = worker(KEY);
    assertThat(worker).isNotNull();
    config.close();
    assertThat(worker.isAlive()).isFalse();
  }

  @Test
  void startTwiceIsRejectedAndCloseBeforeStartIsFine() {
    ConsulTestServer server = consul.server();
    ConsulSource source = ConsulSource.create(TestConfigs.key(server, KEY).build());
    source.start(new RecordingListener());
    assertThatThrownBy(() -> source.start(new RecordingListener()))
        .isInstanceOf(IllegalStateException.class);
    source.close();

    ConsulSource never = ConsulSource.create(TestConfigs.key(server, KEY).build());
    never.close();
    never.start(new RecordingListener()); // closed: starts nothing
    assertThat(worker(KEY)).isNull();
  }
}
