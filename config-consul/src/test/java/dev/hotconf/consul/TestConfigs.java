package dev.hotconf.consul;

import dev.hotconf.testing.consul.ConsulTestServer;
import java.time.Duration;

/** Settings scaled down for tests: 1 s waits, tight timeouts, fast backoff and a fast bucket. */
final class TestConfigs {
  static final Duration WAIT = Duration.ofSeconds(1);
  static final Duration MARGIN = Duration.ofMillis(500);

  private TestConfigs() {}

  static ConsulSourceConfig.Builder key(ConsulTestServer server, String key) {
    return fast(ConsulSourceConfig.key(key), server);
  }

  static ConsulSourceConfig.Builder prefix(ConsulTestServer server, String prefix) {
    return fast(ConsulSourceConfig.prefix(prefix), server);
  }

  static ConsulSourceConfig.Builder fast(ConsulSourceConfig.Builder b, ConsulTestServer server) {
    return b.address(server.url())
        .waitTime(WAIT)
        .readTimeoutMargin(MARGIN)
        .connectTimeout(Duration.ofSeconds(2))
        .backoff(Duration.ofMillis(20), Duration.ofMillis(100))
        .rateLimit(2, Duration.ofMillis(100));
  }
}
