package dev.hotconf.consul.rollout;

import dev.hotconf.ConfigSnapshot;
import dev.hotconf.HotConfig;
import dev.hotconf.consul.ConsulConnection;
import dev.hotconf.consul.ConsulSource;
import dev.hotconf.consul.ConsulSourceConfig;
import dev.hotconf.consul.fleet.Ack;
import dev.hotconf.consul.fleet.AcknowledgerConfig;
import dev.hotconf.consul.fleet.ConsulAcknowledger;
import dev.hotconf.testing.consul.ConsulTestServer;
import dev.hotconf.validate.Validator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Library instances in one JVM that follow staged rollouts, as applications run them: HotConfig on
 * a RolloutSource (from RolloutFollower.track) over a ConsulSource, a ConsulAcknowledger, optional
 * validators and a health probe. Acknowledgers and probes share small pools (a harness choice for
 * hundreds of instances); each source has its own blocking-query threads as in production.
 */
final class Instances implements AutoCloseable {
  static final String APP = "orders";
  static final String KEY = "config/orders/app.yaml";

  /** One running instance. */
  static final class Instance {
    final String id;
    final HotConfig config;
    final ConsulAcknowledger acks;
    final RolloutFollower follower;

    Instance(String id, HotConfig config, ConsulAcknowledger acks, RolloutFollower follower) {
      this.id = id;
      this.config = config;
      this.acks = acks;
      this.follower = follower;
    }

    /** The value of {@code v} it runs now. */
    String runs() {
      ConfigSnapshot s = config.snapshot();
      return s.find("v", String.class).orElse("");
    }

    Optional<Ack> written() {
      return acks.status().written();
    }

    int bucket() {
      return follower.bucket();
    }
  }

  private final ConsulTestServer server;
  private final ScheduledExecutorService shared =
      Executors.newScheduledThreadPool(4, daemon("acks"));
  private final ExecutorService listeners = Executors.newFixedThreadPool(4, daemon("listeners"));
  final List<Instance> all = new ArrayList<>();

  Instances(ConsulTestServer server) {
    this.server = server;
  }

  static ConsulSourceConfig source(ConsulTestServer server) {
    return ConsulSourceConfig.key(KEY)
        .address(server.url())
        .waitTime(Duration.ofSeconds(60))
        .backoff(Duration.ofMillis(20), Duration.ofMillis(200))
        .rateLimit(100, Duration.ofMillis(10))
        .build();
  }

  Instance start(
      String id, Map<String, String> labels, List<Validator> validators, HealthProbe probe) {
    ConsulSourceConfig source = source(server);
    ConsulAcknowledger acks =
        ConsulAcknowledger.create(
            AcknowledgerConfig.builder(APP, ConsulConnection.of(source))
                .instance(id)
                .ttl(Duration.ofSeconds(60))
                .renewInterval(Duration.ofSeconds(3))
                .executor(shared)
                .build());
    FollowerConfig.Builder fc =
        FollowerConfig.builder()
            .labels(labels)
            .executor(shared)
            .healthInterval(Duration.ofMillis(20));
    if (probe != null) {
      fc.healthProbe(probe);
    }
    RolloutFollower follower = RolloutFollower.create(acks, fc.build());
    HotConfig.Builder b =
        HotConfig.builder()
            .name(id)
            .listenerExecutor(listeners)
            .source(follower.track(ConsulSource.create(source)));
    validators.forEach(b::validate);
    HotConfig config = b.build();
    follower.start(config);
    Instance i = new Instance(id, config, acks, follower);
    synchronized (all) {
      all.add(i);
    }
    return i;
  }

  Instance start(String id) {
    return start(id, Map.of(), List.of(), null);
  }

  /**
   * Starts {@code n} instances in parallel: {@code id(k)}, {@code labels(k)}, {@code
   * validators(k)}.
   */
  List<Instance> startMany(
      int n,
      java.util.function.IntFunction<String> ids,
      java.util.function.IntFunction<Map<String, String>> labels,
      java.util.function.IntFunction<List<Validator>> validators)
      throws Exception {
    ExecutorService builders = Executors.newFixedThreadPool(8, daemon("build"));
    try {
      List<Future<Instance>> f = new ArrayList<>();
      for (int k = 0; k < n; k++) {
        int kk = k;
        f.add(
            builders.submit(
                () -> start(ids.apply(kk), labels.apply(kk), validators.apply(kk), null)));
      }
      List<Instance> out = new ArrayList<>();
      for (Future<Instance> x : f) {
        out.add(x.get(2, TimeUnit.MINUTES));
      }
      return out;
    } finally {
      builders.shutdownNow();
    }
  }

  static ThreadFactory daemon(String name) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, "test-" + name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  @Override
  public void close() {
    List<Instance> copy;
    synchronized (all) {
      copy = new ArrayList<>(all);
    }
    for (Instance i : copy) {
      i.follower.close();
      i.config.close();
    }
    shared.shutdownNow();
    listeners.shutdownNow();
  }
}
