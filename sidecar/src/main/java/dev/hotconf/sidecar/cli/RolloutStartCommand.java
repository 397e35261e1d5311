package dev.hotconf.sidecar.cli;

import dev.hotconf.consul.ConsulClient;
import dev.hotconf.consul.ConsulConnection;
import dev.hotconf.consul.ConsulException;
import dev.hotconf.consul.fleet.Ack;
import dev.hotconf.consul.rollout.DriverConfig;
import dev.hotconf.consul.rollout.LabelSelector;
import dev.hotconf.consul.rollout.RolloutPlan;
import dev.hotconf.consul.rollout.UnhealthyLimit;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.function.UnaryOperator;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code hotconf rollout start}: validate FILE as the instances will, write it as the candidate and
 * drive the stages to promotion, or halt and revert.
 */
@Command(
    name = "start",
    description = {
      "Validate FILE exactly as the instances will, write it as APP's candidate and drive a staged",
      "rollout: after each stage's bake, advance if no more instances of the stage are unhealthy",
      "than tolerated and enough of them run the candidate; otherwise halt (every instance goes",
      "back to the stable version) and name the instances that failed and why. After the last",
      "stage (100) promote the candidate to the key with check-and-set and clear the rollout.",
      "Stopping the command (Ctrl-C) leaves the rollout where it is: rollout resume drives it on."
    })
public final class RolloutStartCommand implements Callable<Integer>, ReadsStdin, UsesEnvironment {
  @Mixin GlobalOptions global;
  @Mixin ConsulOptions consul;
  @Mixin RedactOptions redact;
  @Mixin RolloutOptions rollout;
  @Mixin DriveOptions drive;

  @Option(
      names = "--key",
      paramLabel = "KEY",
      description =
          "The Consul key the instances read (default: the key APP's instances acknowledge).")
  String key;

  @Option(
      names = "--stages",
      paramLabel = "PERCENTAGES",
      defaultValue = "1,10,50,100",
      description =
          "Increasing percentages of the instances, the last 100 (default: ${DEFAULT-VALUE}).")
  String stages;

  @Option(
      names = "--bake",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      defaultValue = "60s",
      description = "How long each stage runs before it is judged (default: ${DEFAULT-VALUE}).")
  Duration bake;

  @Option(
      names = "--selector",
      paramLabel = "SELECTOR",
      description =
          "Only instances whose labels match take part in the stages, e.g. 'zone=eu-1,tier in"
              + " (web,api)' (Kubernetes syntax); the others get the version at promotion.")
  String selector;

  @Option(
      names = "--max-unhealthy",
      paramLabel = "N|N%",
      defaultValue = "0",
      description =
          "Unhealthy instances a stage tolerates: a count or a share of the stage"
              + " (default: ${DEFAULT-VALUE}: the first one halts).")
  String maxUnhealthy;

  @Option(
      names = "--min-acked",
      paramLabel = "PERCENT",
      defaultValue = "100",
      description =
          "Share of a stage's instances that must run the candidate before it advances"
              + " (default: ${DEFAULT-VALUE}).")
  double minAcked;

  @Option(
      names = "--ack-timeout",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      defaultValue = "2m",
      description =
          "How long past the bake to wait for them before halting (default: ${DEFAULT-VALUE}).")
  Duration ackTimeout;

  @Mixin DocumentOptions document;

  @Parameters(paramLabel = "FILE", description = "The candidate configuration (or - for stdin).")
  String file;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;
  private InputStream stdin = System.in;
  private UnaryOperator<String> environment = System::getenv;

  /** The driver's clock (tests move it). */
  Clock clock = Clock.systemUTC();

  @Override
  public void stdin(InputStream in) {
    this.stdin = in;
  }

  @Override
  public void environment(UnaryOperator<String> environment) {
    this.environment = environment;
  }

  @Override
  public Integer call() {
    rollout.keys(spec);
    RolloutPlan plan = plan();
    DriverConfig config =
        drive.apply(spec, DriverConfig.builder(rollout.app).clock(clock), rollout).build();
    ConsulConnection connection = consul.connection(environment);
    String k = key != null ? key : keyFromAcknowledgements(connection);
    DocumentCheck check =
        DocumentCheck.of(
            spec,
            k,
            file,
            document.type,
            document.schema,
            document.strict,
            redact.redactor(),
            stdin);
    if (!check.valid()) {
      check.report(spec.commandLine().getErr(), "rolled out");
      return ExitCode.INVALID.code();
    }
    return RolloutRun.drive(
        connection,
        config,
        d -> d.start(k, check.bytes(), plan),
        spec.commandLine().getOut(),
        spec.commandLine().getErr());
  }

  private RolloutPlan plan() {
    RolloutPlan.Builder b = RolloutPlan.builder();
    option("--stages", () -> b.stages(RolloutPlan.parseStages(stages)));
    option("--bake", () -> b.bake(bake));
    option("--max-unhealthy", () -> b.maxUnhealthy(UnhealthyLimit.parse(maxUnhealthy)));
    option("--min-acked", () -> b.minAcked(minAcked));
    option("--ack-timeout", () -> b.ackTimeout(ackTimeout));
    if (selector != null) {
      option("--selector", () -> b.selector(LabelSelector.parse(selector)));
    }
    return b.build();
  }

  private void option(String name, Runnable apply) {
    try {
      apply.run();
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          name
              + ": "
              + e.getMessage()
                  .replaceFirst("^[A-Za-z]+: ", "")
                  .replaceFirst("^label selector: ", ""));
    }
  }

  /** The key most of APP's instances acknowledge; a usage error when there is none. */
  private String keyFromAcknowledgements(ConsulConnection connection) {
    Map<String, Integer> keys = new TreeMap<>();
    try (ConsulClient client = ConsulClient.create(connection)) {
      String prefix =
          (rollout.ackPrefix.endsWith("/") ? rollout.ackPrefix : rollout.ackPrefix + "/")
              + rollout.app
              + "/";
      for (ConsulClient.Entry e : client.list(prefix, 0, Duration.ofSeconds(1)).entries()) {
        try {
          Ack a = Ack.parse(e.value());
          if (a.key() != null && !a.key().endsWith("/")) {
            keys.merge(a.key(), 1, Integer::sum);
          }
        } catch (IllegalArgumentException ex) {
          // an unreadable record names no key
        }
      }
    } catch (ConsulException e) {
      throw ConsulOptions.failure("read the acknowledgements of " + rollout.app, e);
    }
    if (keys.size() == 1) {
      return keys.keySet().iterator().next();
    }
    throw new CommandLine.ParameterException(
        spec.commandLine(),
        keys.isEmpty()
            ? "no instance of "
                + rollout.app
                + " acknowledges a Consul key: pass --key KEY (the key the instances read)"
            : "the instances of "
                + rollout.app
                + " read several keys "
                + keys.keySet()
                + ": pass --key KEY");
  }
}
