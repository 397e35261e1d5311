package dev.hotconf.consul.rollout;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The application's health while it runs a rollout's candidate, asked by a {@link RolloutFollower}
 * every health interval while the instance reports {@code canary}: an empty answer means healthy, a
 * message means unhealthy and says why (it goes into the acknowledgement, so it must not contain
 * secrets). A probe that throws is unhealthy too (its exception's class and message are reported).
 *
 * <pre>{@code
 * HealthProbe probe = () -> pool.activeConnections() > 0 ? Optional.empty() : Optional.of("no database connection");
 * }</pre>
 *
 * <p>Called from one thread at a time (the follower's); it should answer within a few seconds.
 */
@FunctionalInterface
public interface HealthProbe {

  /** Empty when healthy; otherwise why not. */
  Optional<String> check() throws Exception;

  /**
   * A probe that sends {@code GET url} and is healthy on any 2xx answer within {@code timeout}.
   * Messages name the URL without user info or query ({@code health probe
   * http://127.0.0.1:8080/health answered 503}).
   *
   * @throws IllegalArgumentException unless {@code url} is http(s) with a host and no user info,
   *     and {@code timeout} is positive
   */
  static HealthProbe url(URI url, Duration timeout) {
    return new UrlHealthProbe(url, timeout);
  }

  /** A probe that asks each of {@code probes} in turn and reports the first unhealthy answer. */
  static HealthProbe allOf(List<HealthProbe> probes) {
    List<HealthProbe> all = List.copyOf(probes);
    return () -> {
      for (HealthProbe p : all) {
        Optional<String> r = Objects.requireNonNull(p.check(), "a probe returned null");
        if (r.isPresent()) {
          return r;
        }
      }
      return Optional.empty();
    };
  }
}
