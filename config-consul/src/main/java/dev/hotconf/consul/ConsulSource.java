package dev.hotconf.consul;

import dev.hotconf.consul.internal.ConsulApiKvClient;
import dev.hotconf.consul.internal.KvClient;
import dev.hotconf.source.ConfigSource;
import dev.hotconf.source.SourceListener;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * A {@link ConfigSource} over Consul KV that follows changes with blocking queries.
 *
 * <pre>{@code
 * HotConfig config = HotConfig.builder()
 *     .source(Sources.classpath("defaults.yaml"))
 *     .source(ConsulSource.create(ConsulSourceConfig.key("config/app/data.yaml")
 *         .address("https://consul.service:8501")
 *         .tokenFile(Path.of("/run/secrets/consul-token"))
 *         .caCertificate(Path.of("/etc/consul/ca.pem"))
 *         .build()))
 *     .build();
 * }</pre>
 *
 * <p>Two shapes ({@link ConsulSourceConfig#key} and {@link ConsulSourceConfig#prefix}); every
 * value's origin names the Consul key and its ModifyIndex, e.g. {@code
 * consul:config/app/data@1234:3:7}.
 *
 * <p>Behaviour (see the module README for the reasoning):
 *
 * <ul>
 *   <li>One daemon thread {@code hotconf-consul-<key>} runs a blocking-query loop ({@code
 *       ?index=&wait=}, 60 s by default). The index restarts at 0 when Consul's goes backwards, and
 *       is never below 1 otherwise. Each pass takes a token from a bucket (burst 3, one per second
 *       by default), so isolated changes are read at once while churn or a misbehaving index
 *       degrades to one read per second.
 *   <li>A wake-up whose content is unchanged (same keys and bytes) publishes nothing.
 *   <li>A missing key or empty prefix (404, which still carries an index to block on) is reported
 *       with {@code onMissing} and the last good content stays, unless {@link MissingPolicy#EMPTY}.
 *   <li>Failures (403, 429, 500, 503, timeouts, resets, a server that never answers, unreadable
 *       answers, no known leader) are reported with {@code onFailure}, keep the last good content
 *       and are retried forever with jittered exponential backoff (resilience4j-retry; 1 s growing
 *       to 20 s), each retry a non-blocking read; the first good answer after a failure is always
 *       delivered, so the source recovers on its own.
 *   <li>A value that does not parse, or a prefix over the {@link ConsulSourceConfig#parseLimits()
 *       parse limits} (too many keys, too many bytes, keys too deep), is reported with {@code
 *       onFailure} and not retried: the loop waits for the next change.
 *   <li>Nothing thrown while handling one answer ends the loop, {@link Error}s included: it is
 *       reported with {@code onFailure}, backed off and read again.
 *   <li>The ACL token only ever travels in the {@code X-Consul-Token} header.
 * </ul>
 *
 * <p>Thread-safe. {@link #close()} aborts a blocking read in flight and ends the thread within a
 * second.
 */
public final class ConsulSource implements ConfigSource {
  private final ConsulSourceConfig config;
  private final KvClient client;
  private final Watcher watcher;
  private Thread thread;
  private boolean started;
  private volatile boolean closed;

  ConsulSource(ConsulSourceConfig config, KvClient client) {
    this.config = Objects.requireNonNull(config, "config");
    this.client = Objects.requireNonNull(client, "client");
    this.watcher = new Watcher(config, client);
  }

  /**
   * A source for {@code config}. Builds the HTTP client (and the TLS context from the configured
   * files) now; nothing is read from Consul before {@link #start}.
   *
   * @throws IllegalArgumentException when TLS material cannot be read
   */
  public static ConsulSource create(ConsulSourceConfig config) {
    Objects.requireNonNull(config, "config");
    KvClient client =
        new ConsulApiKvClient(
            new ConsulApiKvClient.Settings(
                config.address(),
                config.consistency(),
                config.datacenter().orElse(null),
                config.connectTimeout(),
                config.readTimeout(),
                config.sslContext(),
                config.tokenProvider()));
    return new ConsulSource(config, client);
  }

  @Override
  public String name() {
    return config.name();
  }

  /** The settings. */
  public ConsulSourceConfig config() {
    return config;
  }

  @Override
  public synchronized void start(SourceListener listener) {
    Objects.requireNonNull(listener, "listener");
    if (started) {
      throw new IllegalStateException(name() + " was already started");
    }
    started = true;
    if (closed) {
      return;
    }
    Thread t = new Thread(() -> watcher.run(listener), "hotconf-consul-" + config.path());
    t.setDaemon(true);
    thread = t;
    t.start();
  }

  /**
   * Stops the loop: aborts a read in flight, interrupts a backoff, waits up to 1 s for the thread.
   */
  @Override
  public void close() {
    Thread t;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      t = thread;
    }
    watcher.stop();
    client.close();
    if (t != null) {
      t.interrupt();
      if (t != Thread.currentThread()) {
        try {
          t.join(TimeUnit.SECONDS.toMillis(1));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }
  }

  @Override
  public String toString() {
    return "ConsulSource[" + config + "]";
  }
}
