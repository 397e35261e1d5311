package dev.hotconf.sidecar.cli;

import dev.hotconf.consul.rollout.DriverConfig;
import java.time.Duration;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** The options of the commands that drive a rollout ({@code rollout start}, {@code resume}). */
public final class DriveOptions {
  @Option(
      names = "--poll-interval",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      defaultValue = "5s",
      description =
          "Look at the rollout at least this often (whole seconds, default ${DEFAULT-VALUE});"
              + " any acknowledgement change wakes the driver at once.")
  Duration pollInterval;

  @Option(
      names = "--lock-ttl",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      defaultValue = "15s",
      description =
          "TTL of the driver's Consul lock session (10s to 24h, default ${DEFAULT-VALUE}): after a"
              + " killed driver, another may take over within twice this.")
  Duration lockTtl;

  /** The driver's settings, or a usage error. */
  DriverConfig.Builder apply(
      CommandLine.Model.CommandSpec spec, DriverConfig.Builder b, RolloutOptions rollout) {
    try {
      return b.pollInterval(pollInterval)
          .lockTtl(lockTtl)
          .rolloutPrefix(rollout.rolloutPrefix)
          .ackPrefix(rollout.ackPrefix);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          e.getMessage()
              .replaceFirst("^pollInterval: ", "--poll-interval ")
              .replaceFirst("^lockTtl: ", "--lock-ttl ")
              .replaceFirst("^rolloutPrefix: ", "--rollout-prefix ")
              .replaceFirst("^ackPrefix: ", "--key-prefix "));
    }
  }
}
