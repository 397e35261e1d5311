package dev.hotconf.sidecar.cli;

import dev.hotconf.ConfigException;
import dev.hotconf.ConfigStartupException;
import dev.hotconf.Problem;
import dev.hotconf.sidecar.run.SidecarConfig;
import dev.hotconf.sidecar.run.SidecarConfigParser;
import dev.hotconf.sidecar.run.SidecarRunner;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code hotconf run --config FILE}: watch the sources, serve the live config over HTTP and push
 * every new version to the targets, until SIGTERM or SIGINT (then exit 0 after a graceful stop).
 */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description =
        "Watch sources, serve the current config over HTTP and push each new version to targets.")
public final class RunCommand implements Callable<Integer> {
  @Option(
      names = {"-c", "--config"},
      required = true,
      paramLabel = "FILE",
      description = "The sidecar's configuration (YAML).")
  Path config;

  @Option(
      names = "--insecure-bind",
      description =
          "Allow listening on a non-loopback address without a server token or without HTTPS.")
  boolean insecureBind;

  @Mixin GlobalOptions global;
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    SidecarConfig parsed;
    try {
      parsed = SidecarConfigParser.parse(config);
    } catch (IOException e) {
      return fail(ExitCode.USAGE, config + ": cannot read: " + e.getMessage(), e);
    } catch (ConfigException e) {
      for (Problem p : e.problems()) {
        spec.commandLine().getErr().println(p);
      }
      return ExitCode.USAGE.code();
    }
    SidecarRunner runner =
        new SidecarRunner(
            parsed, insecureBind, spec.commandLine().getOut(), spec.commandLine().getErr());
    runner.installSignalHandlers();
    try {
      runner.start();
    } catch (SidecarRunner.UsageProblem e) {
      return fail(ExitCode.USAGE, e.getMessage(), e);
    } catch (ConfigStartupException e) {
      for (Problem p : e.problems()) {
        spec.commandLine().getErr().println(p);
      }
      runner.close();
      return (e.sourcesUnavailable() ? ExitCode.UNREACHABLE : ExitCode.INVALID).code();
    }
    runner.awaitStopSignal();
    runner.shutdown();
    return ExitCode.OK.code();
  }

  private int fail(ExitCode code, String message, Exception e) {
    spec.commandLine().getErr().println(message);
    if (global != null && global.stacktrace) {
      e.printStackTrace(spec.commandLine().getErr());
    }
    return code.code();
  }
}
