package dev.hotconf.sidecar.cli;

import dev.hotconf.consul.fleet.AcknowledgerConfig;
import dev.hotconf.consul.rollout.RolloutKeys;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** The options that name an application's rollout: {@code --app} and where things live. */
public final class RolloutOptions {
  @Option(names = "--app", required = true, paramLabel = "APP", description = "The application.")
  String app;

  @Option(
      names = "--key-prefix",
      paramLabel = "PREFIX",
      defaultValue = AcknowledgerConfig.DEFAULT_KEY_PREFIX,
      description = "Where the acknowledgements live (default: ${DEFAULT-VALUE}).")
  String ackPrefix;

  @Option(
      names = "--rollout-prefix",
      paramLabel = "PREFIX",
      defaultValue = RolloutKeys.DEFAULT_PREFIX,
      description =
          "Where rollouts live: <PREFIX><APP>/candidate, /rollout and /lock"
              + " (default: ${DEFAULT-VALUE}).")
  String rolloutPrefix;

  /** The keys, or a usage error for a bad app or prefix. */
  RolloutKeys keys(CommandLine.Model.CommandSpec spec) {
    try {
      return new RolloutKeys(rolloutPrefix, app);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          e.getMessage()
              .replaceFirst("^app: ", "--app ")
              .replaceFirst("^prefix: ", "--rollout-prefix "));
    }
  }
}
