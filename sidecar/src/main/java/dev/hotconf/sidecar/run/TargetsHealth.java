package dev.hotconf.sidecar.run;

import dev.hotconf.consul.rollout.HealthProbe;
import java.util.Optional;

/**
 * The sidecar's push targets as a rollout health probe, asked while a staged rollout's candidate is
 * live: a target whose latest push failed (and that does not have the newest version) makes the
 * instance unhealthy with that target's error, the same text {@code /v1/status} shows (URLs without
 * credentials or query). Thread-safe; reads the workers' volatile state.
 */
final class TargetsHealth implements HealthProbe {
  private final Publisher publisher;

  TargetsHealth(Publisher publisher) {
    this.publisher = publisher;
  }

  @Override
  public Optional<String> check() {
    for (TargetWorker w : publisher.workers()) {
      String error = w.lastError();
      if (error != null && !w.idle()) {
        return Optional.of("push target " + w.name() + " failed: " + error);
      }
    }
    return Optional.empty();
  }

  @Override
  public String toString() {
    return "TargetsHealth[" + publisher.workers().size() + " targets]";
  }
}
