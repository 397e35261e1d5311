package dev.hotconf.sidecar.cli;

import dev.hotconf.HotConfig;
import dev.hotconf.consul.ConsulConnection;
import dev.hotconf.consul.ConsulSource;
import dev.hotconf.consul.ConsulSourceConfig;
import dev.hotconf.consul.fleet.AcknowledgerConfig;
import dev.hotconf.consul.fleet.ConsulAcknowledger;
import dev.hotconf.testing.consul.ConsulTestServer;
import dev.hotconf.validate.Validator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Library instances in one JVM, as applications run them: HotConfig on a (tracked) ConsulSource,
 * optional validators, and a ConsulAcknowledger on an executor of its own, so that {@link
 * Instance#crash()} can stop it the way a killed process stops (no session destroy).
 */
final class FleetInstances implements AutoCloseable {
  static final Duration TTL = Duration.ofSeconds(10);
  static final Duration RENEW = Duration.ofMillis(200);

  /** One running instance. */
  static final class Instance {
    final String id;
    final HotConfig config;
    final ConsulAcknowledger acks;
    final ScheduledExecutorService ackExecutor;
    boolean crashed;

    Instance(String id, HotConfig config, ConsulAcknowledger acks, ScheduledExecutorService exec) {
      this.id = id;
      this.config = config;
      this.acks = acks;
      this.ackExecutor = exec;
    }

    /** Stops like a killed process: nothing is told to Consul, the session just stops renewing. */
    void crash() {
      crashed = true;
      ackExecutor.shutdownNow();
      config.close();
    }
  }

  private final ConsulTestServer server;
  private final String key;
  private final ExecutorService listeners = Executors.newFixedThreadPool(4, daemon("listeners"));
  final List<Instance> all = new ArrayList<>();

  FleetInstances(ConsulTestServer server, String key) {
    this.server = server;
    this.key = key;
  }

  Instance start(String app, String id, List<Validator> validators) {
    ConsulSourceConfig source =
        ConsulSourceConfig.key(key)
            .address(server.url())
            .waitTime(Duration.ofSeconds(60))
            .backoff(Duration.ofMillis(20), Duration.ofMillis(200))
            .rateLimit(100, Duration.ofMillis(10))
            .build();
    ScheduledExecutorService exec = Executors.newSingleThreadScheduledExecutor(daemon("ack-" + id));
    ConsulAcknowledger acks =
        ConsulAcknowledger.create(
            AcknowledgerConfig.builder(app, ConsulConnection.of(source))
                .instance(id)
                .ttl(TTL)
                .renewInterval(RENEW)
                .executor(exec)
                .build());
    HotConfig.Builder b =
        HotConfig.builder()
            .name(id)
            .listenerExecutor(listeners)
            .source(acks.track(ConsulSource.create(source)));
    validators.forEach(b::validate);
    HotConfig config = b.build();
    acks.start(config);
    Instance i = new Instance(id, config, acks, exec);
    all.add(i);
    return i;
  }

  List<Instance> alive() {
    return all.stream().filter(i -> !i.crashed).toList();
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, "test-" + name);
      t.setDaemon(true);
      return t;
    };
  }

  @Override
  public void close() {
    for (Instance i : all) {
      i.acks.close();
      i.config.close();
      i.ackExecutor.shutdownNow();
    }
    listeners.shutdownNow();
  }
}
