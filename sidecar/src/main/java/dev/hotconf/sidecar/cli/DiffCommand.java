package dev.hotconf.sidecar.cli;

import dev.hotconf.ConfigDiff;
import dev.hotconf.ConfigException;
import dev.hotconf.ConfigObject;
import dev.hotconf.Redactor;
import dev.hotconf.parse.ConfigFormat;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code hotconf diff}: the flattened difference between two configurations, secrets redacted. */
@Command(
    name = "diff",
    description = {
      "Print the flattened difference between two configurations (secrets redacted):",
      "  + key = value   added",
      "  - key (was v)   removed",
      "  ~ key: a -> b   changed",
      "Exit 0 when equal, 1 when different (or when a file is invalid)."
    })
public final class DiffCommand implements Callable<Integer>, ReadsStdin {
  @Mixin GlobalOptions global;

  @Option(
      names = "--type",
      paramLabel = "TYPE",
      converter = Types.class,
      description = "Format of stdin or of files without a known extension (default: yaml).")
  ConfigFormat type;

  @Parameters(index = "0", paramLabel = "OLD", description = "The old configuration file (or -).")
  String oldFile;

  @Parameters(index = "1", paramLabel = "NEW", description = "The new configuration file (or -).")
  String newFile;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;
  private InputStream stdin = System.in;

  @Override
  public void stdin(InputStream in) {
    this.stdin = in;
  }

  @Override
  public Integer call() {
    if (oldFile.equals("-") && newFile.equals("-")) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "only one of OLD and NEW can be -");
    }
    ConfigObject before = load(oldFile);
    ConfigObject after = load(newFile);
    ConfigDiff diff = ConfigDiff.between(before, after, Redactor.defaults());
    PrintWriter out = spec.commandLine().getOut();
    if (!diff.isEmpty()) {
      out.println(diff);
    }
    out.flush();
    return diff.isEmpty() ? ExitCode.OK.code() : ExitCode.INVALID.code();
  }

  private ConfigObject load(String arg) {
    Input input = Input.of(arg, type);
    try {
      return input.load(stdin);
    } catch (ConfigException e) {
      throw Problems.invalid(input.display(), e);
    }
  }
}
