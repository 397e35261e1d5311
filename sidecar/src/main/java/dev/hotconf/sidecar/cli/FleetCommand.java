package dev.hotconf.sidecar.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code hotconf fleet}: what the instances of an application run (see {@code fleet status}). */
@Command(
    name = "fleet",
    description =
        "What the instances of an application run, from their acknowledgements in Consul.",
    synopsisSubcommandLabel = "COMMAND",
    subcommands = {FleetStatusCommand.class, CommandLine.HelpCommand.class})
public final class FleetCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "missing command: status");
  }
}
