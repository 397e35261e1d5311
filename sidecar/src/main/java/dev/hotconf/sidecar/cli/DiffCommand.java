package dev.hotconf.sidecar.cli;

import dev.hotconf.ConfigDiff;
import dev.hotconf.ConfigException;
import dev.hotconf.ConfigObject;
import dev.hotconf.KeyChange;
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
  @Mixin RedactOptions redact;

  @Option(
      names = "--type",
      paramLabel = "TYPE",
      converter = FormatConverter.class,
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
    Redactor redactor = redact.redactor();
    ConfigObject before = load(oldFile, redactor);
    ConfigObject after = load(newFile, redactor);
    ConfigDiff diff = ConfigDiff.between(before, after, redactor);
    PrintWriter out = spec.commandLine().getOut();
    for (KeyChange change : diff.changes()) {
      // one line per change, whatever the key or value holds
      out.println(TerminalText.escape(change.toString()));
    }
    out.flush();
    return diff.isEmpty() ? ExitCode.OK.code() : ExitCode.INVALID.code();
  }

  private ConfigObject load(String arg, Redactor redactor) {
    Input input = Input.of(arg, type);
    try {
      return input.load(stdin, redactor);
    } catch (ConfigException e) {
      throw Problems.invalid(input.display(), e);
    }
  }
}
