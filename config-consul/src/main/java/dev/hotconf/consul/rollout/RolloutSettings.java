package dev.hotconf.consul.rollout;

import dev.hotconf.bind.Checked;
import dev.hotconf.bind.Checks;
import dev.hotconf.bind.DefaultValue;
import dev.hotconf.consul.fleet.AckRollout;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The staged-rollout keys of a front-end's {@code fleet:} section (inlined into {@code
 * dev.hotconf.consul.fleet.FleetSettings}), bound by config-core's binder.
 *
 * <pre>{@code
 * fleet:
 *   app: orders
 *   labels: {zone: eu-1, tier: web}   # for rollout selectors such as zone=eu-1
 *   follow-rollouts: true             # run a staged rollout's candidate when selected
 *   health-url: http://127.0.0.1:8080/health   # polled while the candidate is live; non-2xx: unhealthy
 *   health-interval: 5s
 *   health-timeout: 2s
 *   health-failures: 1                # failed probes in a row that make the instance unhealthy
 *   rollout-prefix: hotconf/rollouts/
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 *
 * @param labels this instance's labels (Kubernetes syntax, at most 32)
 * @param followRollouts whether it follows staged rollouts of its app (needs a consul source)
 * @param healthUrl an http(s) URL whose non-2xx answer (or no answer) means unhealthy
 * @param healthInterval time between probes while the candidate is live
 * @param healthTimeout how long one probe may take
 * @param healthFailures failed probes in a row that make the instance unhealthy
 * @param rolloutPrefix where rollouts live
 */
public record RolloutSettings(
    @DefaultValue Map<String, String> labels,
    @DefaultValue("true") boolean followRollouts,
    Optional<URI> healthUrl,
    @DefaultValue("5s") Duration healthInterval,
    @DefaultValue("2s") Duration healthTimeout,
    @DefaultValue("1") int healthFailures,
    @DefaultValue(RolloutKeys.DEFAULT_PREFIX) String rolloutPrefix)
    implements Checked {

  public RolloutSettings {
    labels = Map.copyOf(Objects.requireNonNull(labels, "labels"));
    Objects.requireNonNull(healthUrl, "healthUrl");
    Objects.requireNonNull(healthInterval, "healthInterval");
    Objects.requireNonNull(healthTimeout, "healthTimeout");
    Objects.requireNonNull(rolloutPrefix, "rolloutPrefix");
  }

  @Override
  public void check(Checks checks) {
    try {
      AckRollout.checkLabels(labels);
    } catch (IllegalArgumentException e) {
      checks.problem("labels", e.getMessage().replaceFirst("^labels: ", ""));
    }
    healthUrl.ifPresent(
        u -> {
          try {
            UrlHealthProbe.check(u);
          } catch (IllegalArgumentException e) {
            checks.problem("healthUrl", e.getMessage());
          }
        });
    try {
      FollowerConfig.builder().healthInterval(healthInterval);
    } catch (IllegalArgumentException e) {
      checks.problem("healthInterval", e.getMessage().replaceFirst("^healthInterval: ", ""));
    }
    if (healthTimeout.isZero() || healthTimeout.isNegative()) {
      checks.problem("healthTimeout", "must be positive");
    }
    if (healthFailures < 1 || healthFailures > 100) {
      checks.problem("healthFailures", "must be 1 to 100");
    }
    try {
      new RolloutKeys(rolloutPrefix, "app");
    } catch (IllegalArgumentException e) {
      checks.problem("rolloutPrefix", e.getMessage().replaceFirst("^prefix: ", ""));
    }
  }

  /**
   * The follower's settings: labels, prefix and the health probes, {@code health-url} first, then
   * {@code more} (e.g. the sidecar's push targets).
   */
  public FollowerConfig.Builder toConfig(List<HealthProbe> more) {
    Objects.requireNonNull(more, "more");
    FollowerConfig.Builder b =
        FollowerConfig.builder()
            .labels(labels)
            .healthInterval(healthInterval)
            .healthFailures(healthFailures)
            .keyPrefix(rolloutPrefix);
    List<HealthProbe> probes = new java.util.ArrayList<>();
    healthUrl.ifPresent(u -> probes.add(HealthProbe.url(u, healthTimeout)));
    probes.addAll(more);
    if (!probes.isEmpty()) {
      b.healthProbe(probes.size() == 1 ? probes.get(0) : HealthProbe.allOf(probes));
    }
    return b;
  }
}
