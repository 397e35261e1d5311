package dev.hotconf.sidecar.cli;

import dev.hotconf.consul.ConsulClient;
import dev.hotconf.consul.ConsulException;
import dev.hotconf.consul.rollout.RolloutDriver;
import dev.hotconf.consul.rollout.RolloutKeys;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.function.UnaryOperator;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code hotconf rollout abort}: drop APP's rollout and its candidate; the key is untouched. */
@Command(
    name = "abort",
    description = {
      "Abort APP's rollout: delete its record (every instance runs the stable version) and its",
      "candidate. The configuration key is not touched. A running driver stops."
    })
public final class RolloutAbortCommand implements Callable<Integer>, UsesEnvironment {
  @Mixin GlobalOptions global;
  @Mixin ConsulOptions consul;
  @Mixin RolloutOptions rollout;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;
  private UnaryOperator<String> environment = System::getenv;

  @Override
  public void environment(UnaryOperator<String> environment) {
    this.environment = environment;
  }

  @Override
  public Integer call() {
    RolloutKeys keys = rollout.keys(spec);
    PrintWriter out = spec.commandLine().getOut();
    try (ConsulClient client = ConsulClient.create(consul.connection(environment))) {
      boolean existed = RolloutDriver.abort(client, keys);
      out.println(
          existed
              ? "aborted the rollout of "
                  + keys.app()
                  + ": "
                  + keys.record()
                  + " and "
                  + keys.candidate()
                  + " deleted; every instance runs the stable version"
              : "no rollout of " + keys.app() + "; nothing to abort");
      out.flush();
      return ExitCode.OK.code();
    } catch (ConsulException e) {
      throw ConsulOptions.failure("abort the rollout of " + keys.app(), e);
    }
  }
}
