package dev.hotconf.sidecar.cli;

import dev.hotconf.ConfigException;
import dev.hotconf.ConfigStartupException;
import dev.hotconf.Problem;
import dev.hotconf.sidecar.run.SidecarProcess;
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
 * The command line layer only: options and exit codes. {@link SidecarProcess} runs the process,
 * {@link dev.hotconf.sidecar.run.Publisher} publishes versions.
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
    SidecarProcess process;
    try {
      process =
          SidecarProcess.load(
              config, insecureBind, spec.commandLine().getOut(), spec.commandLine().getErr());
    } catch (IOException e) {
      return fail(ExitCode.USAGE, config + ": cannot read: " + e.getMessage(), e);
    } catch (ConfigException e) {
      for (Problem p : e.problems()) {
        spec.commandLine().getErr().println(TerminalText.escape(p.toString()));
      }
      return ExitCode.USAGE.code();
    }
    process.installSignalHandlers();
    try {
      process.start();
    } catch (SidecarProcess.UsageProblem e) {
      process.close();
      return fail(ExitCode.USAGE, e.getMessage(), e);
    } catch (ConfigStartupException e) {
      for (Problem p : e.problems()) {
        spec.commandLine().getErr().println(TerminalText.escape(p.toString()));
      }
      process.close();
      return (e.sourcesUnavailable() ? ExitCode.UNREACHABLE : ExitCode.INVALID).code();
    }
    process.awaitStopSignal();
    process.shutdown();
    return ExitCode.OK.code();
  }

  private int fail(ExitCode code, String message, Exception e) {
    spec.commandLine().getErr().println(TerminalText.escapeLines(message));
    if (global != null && global.stacktrace) {
      e.printStackTrace(spec.commandLine().getErr());
    }
    return code.code();
  }
}
