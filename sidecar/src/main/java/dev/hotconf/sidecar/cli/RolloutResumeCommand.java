package dev.hotconf.sidecar.cli;

import dev.hotconf.consul.rollout.DriverConfig;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.function.UnaryOperator;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code hotconf rollout resume}: drive APP's rollout on, after a halt or a stopped driver. */
@Command(
    name = "resume",
    description = {
      "Drive APP's rollout on from its record in Consul: a halted rollout tries its stage again",
      "(a new attempt, baking from now); a running one whose driver stopped or died is taken over",
      "at its stage. Refused while another driver holds the rollout."
    })
public final class RolloutResumeCommand implements Callable<Integer>, UsesEnvironment {
  @Mixin GlobalOptions global;
  @Mixin ConsulOptions consul;
  @Mixin RolloutOptions rollout;
  @Mixin DriveOptions drive;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;
  private UnaryOperator<String> environment = System::getenv;

  /** The driver's clock (tests move it). */
  Clock clock = Clock.systemUTC();

  @Override
  public void environment(UnaryOperator<String> environment) {
    this.environment = environment;
  }

  @Override
  public Integer call() {
    rollout.keys(spec);
    DriverConfig config =
        drive.apply(spec, DriverConfig.builder(rollout.app).clock(clock), rollout).build();
    return RolloutRun.drive(
        consul.connection(environment),
        config,
        d -> d.resume(),
        spec.commandLine().getOut(),
        spec.commandLine().getErr());
  }
}
