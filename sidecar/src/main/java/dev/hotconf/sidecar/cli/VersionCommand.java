package dev.hotconf.sidecar.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code hotconf version}. */
@Command(name = "version", description = "Print the hotconf version and the Java runtime.")
public final class VersionCommand implements Callable<Integer> {
  @Mixin GlobalOptions global;
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    for (String line : new Provider().getVersion()) {
      spec.commandLine().getOut().println(line);
    }
    spec.commandLine().getOut().flush();
    return ExitCode.OK.code();
  }

  /** The version lines, also used by {@code hotconf --version}. */
  public static final class Provider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {
        "hotconf " + version(),
        "Java "
            + System.getProperty("java.version")
            + " ("
            + System.getProperty("java.vm.name")
            + ")"
      };
    }
  }

  /** The project version, from the build. */
  public static String version() {
    Properties p = new Properties();
    try (InputStream in =
        VersionCommand.class.getResourceAsStream("/dev/hotconf/sidecar/version.properties")) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      // fall through to "unknown"
    }
    return p.getProperty("version", "unknown");
  }
}
