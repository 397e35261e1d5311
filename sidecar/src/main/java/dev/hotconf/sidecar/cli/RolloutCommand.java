package dev.hotconf.sidecar.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code hotconf rollout}: staged rollouts of an application's configuration. */
@Command(
    name = "rollout",
    description =
        "Staged rollouts: a candidate version goes to a growing share of the instances, each of"
            + " which decides from its bucket and labels; bad health halts and reverts.",
    synopsisSubcommandLabel = "COMMAND",
    subcommands = {
      RolloutStartCommand.class,
      RolloutStatusCommand.class,
      RolloutHaltCommand.class,
      RolloutResumeCommand.class,
      RolloutAbortCommand.class,
      CommandLine.HelpCommand.class
    })
public final class RolloutCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        spec.commandLine(), "missing command: start, status, halt, resume or abort");
  }
}
