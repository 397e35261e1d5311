package dev.hotconf.sidecar.cli;

import dev.hotconf.HotConfig;
import dev.hotconf.consul.ConsulConnection;
import dev.hotconf.consul.ConsulSource;
import dev.hotconf.consul.ConsulSourceConfig;
import dev.hotconf.consul.fleet.Ack;
import dev.hotconf.consul.fleet.AcknowledgerConfig;
import dev.hotconf.consul.fleet.ConsulAcknowledger;
import dev.hotconf.consul.rollout.FollowerConfig;
import dev.hotconf.consul.rollout.RolloutFollower;
import dev.hotconf.testing.consul.ConsulTestServer;
import dev.hotconf.validate.Validator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Library instances in one JVM that follow staged rollouts (HotConfig on a RolloutFollower's
 * source, an acknowledger), for the CLI's rollout commands to drive.
 */
final class RolloutInstances implements AutoCloseable {
  /** One running instance. */
  record Instance(String id, HotConfig config, ConsulAcknowledger acks, RolloutFollower follower) {
    String runs(String key) {
      return config.snapshot().find(key, String.class).orElse("");
    }

    Optional<Ack> written() {
      return acks.status().written();
    }
  }

  private final ConsulTestServer server;
  private final String key;
  private final ScheduledExecutorService shared =
      Executors.newScheduledThreadPool(2, r -> daemon(r, "test-acks"));
  private final ExecutorService listeners =
      Executors.newFixedThreadPool(2, r -> daemon(r, "test-listeners"));
  final List<Instance> all = new ArrayList<>();

  RolloutInstances(ConsulTestServer server, String key) {
    this.server = server;
    this.key = key;
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  Instance start(String app, String id, Map<String, String> labels, List<Validator> validators) {
    ConsulSourceConfig source =
        ConsulSourceConfig.key(key)
            .address(server.url())
            .waitTime(Duration.ofSeconds(60))
            .backoff(Duration.ofMillis(20), Duration.ofMillis(200))
            .rateLimit(100, Duration.ofMillis(10))
            .build();
    ConsulAcknowledger acks =
        ConsulAcknowledger.create(
            AcknowledgerConfig.builder(app, ConsulConnection.of(source))
                .instance(id)
                .ttl(Duration.ofSeconds(60))
                .executor(shared)
                .build());
    RolloutFollower follower =
        RolloutFollower.create(acks, FollowerConfig.builder().labels(labels).build());
    HotConfig.Builder b =
        HotConfig.builder()
            .name(id)
            .listenerExecutor(listeners)
            .source(follower.track(ConsulSource.create(source)));
    validators.forEach(b::validate);
    HotConfig config = b.build();
    follower.start(config);
    Instance i = new Instance(id, config, acks, follower);
    all.add(i);
    return i;
  }

  @Override
  public void close() {
    for (Instance i : all) {
      i.follower().close();
      i.config().close();
    }
    shared.shutdownNow();
    listeners.shutdownNow();
  }
}
