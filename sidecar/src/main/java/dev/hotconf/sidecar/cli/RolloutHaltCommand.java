package dev.hotconf.sidecar.cli;

import dev.hotconf.consul.ConsulClient;
import dev.hotconf.consul.ConsulException;
import dev.hotconf.consul.rollout.RolloutDriver;
import dev.hotconf.consul.rollout.RolloutException;
import dev.hotconf.consul.rollout.RolloutKeys;
import dev.hotconf.consul.rollout.RolloutRecord;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.function.UnaryOperator;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code hotconf rollout halt}: every instance back to the stable version, at once. */
@Command(
    name = "halt",
    description = {
      "Halt APP's rollout: one write to Consul after which every instance runs the stable version",
      "again (within its normal propagation time). A running driver stops. rollout resume tries",
      "the stage again; rollout abort drops the candidate."
    })
public final class RolloutHaltCommand implements Callable<Integer>, UsesEnvironment {
  @Mixin GlobalOptions global;
  @Mixin ConsulOptions consul;
  @Mixin RolloutOptions rollout;

  @Option(
      names = "--reason",
      paramLabel = "TEXT",
      description = "Why (shown by rollout status; default: halted by USER@HOST).")
  String reason;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;
  private UnaryOperator<String> environment = System::getenv;
  Clock clock = Clock.systemUTC();

  @Override
  public void environment(UnaryOperator<String> environment) {
    this.environment = environment;
  }

  @Override
  public Integer call() {
    RolloutKeys keys = rollout.keys(spec);
    String why = reason != null && !reason.isBlank() ? reason.strip() : "halted by " + operator();
    PrintWriter out = spec.commandLine().getOut();
    try (ConsulClient client = ConsulClient.create(consul.connection(environment))) {
      RolloutRecord r = RolloutDriver.halt(client, keys, why, clock);
      out.println(
          TerminalText.escapeLines(
              "halted rollout "
                  + r.id()
                  + " of "
                  + r.key()
                  + " at stage "
                  + r.stage()
                  + ": every instance of "
                  + keys.app()
                  + " goes back to the stable version ("
                  + r.reason()
                  + ")"));
      out.flush();
      return ExitCode.OK.code();
    } catch (RolloutException e) {
      throw RolloutRun.failure(e);
    } catch (ConsulException e) {
      throw ConsulOptions.failure("halt the rollout of " + keys.app(), e);
    }
  }

  static String operator() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException | SecurityException e) {
      host = "localhost";
    }
    return System.getProperty("user.name", "unknown") + "@" + host;
  }
}
