package dev.hotconf.sidecar.cli;

import dev.hotconf.ConfigException;
import dev.hotconf.ConfigNode;
import dev.hotconf.ConfigObject;
import dev.hotconf.ConfigPath;
import dev.hotconf.Redactor;
import dev.hotconf.parse.ConfigFormat;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code hotconf get}: the value at a dotted key, as JSON. */
@Command(
    name = "get",
    description = "Print the value at a dotted key (db.pool.size, servers[0].host) as JSON.")
public final class GetCommand implements Callable<Integer>, ReadsStdin {
  @Mixin GlobalOptions global;
  @Mixin RedactOptions redact;

  @Option(
      names = "--explain",
      description = "Also print where the value was written (FILE:LINE:COL).")
  boolean explain;

  @Option(
      names = "--show-secrets",
      description = "Print secret values (and credentials in URLs) instead of <redacted>.")
  boolean showSecrets;

  @Option(
      names = "--type",
      paramLabel = "TYPE",
      converter = FormatConverter.class,
      description = "Format of stdin or of a file without a known extension (default: yaml).")
  ConfigFormat type;

  @Parameters(
      index = "0",
      paramLabel = "FILE",
      description = "The configuration file, or - for stdin.")
  String file;

  @Parameters(index = "1", paramLabel = "KEY", description = "A dotted key.")
  String key;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;
  private InputStream stdin = System.in;

  @Override
  public void stdin(InputStream in) {
    this.stdin = in;
  }

  @Override
  public Integer call() throws IOException {
    ConfigPath path;
    try {
      path = ConfigPath.parse(key);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    Redactor redactor = redact.redactor();
    Input input = Input.of(file, type);
    ConfigObject root;
    try {
      root = input.load(stdin, redactor);
    } catch (ConfigException e) {
      throw Problems.invalid(input.display(), e);
    }
    ConfigNode node = path.find(root);
    if (node == null) {
      throw new CliException(ExitCode.INVALID, input.display() + ": key '" + key + "' not found");
    }
    PrintWriter out = spec.commandLine().getOut();
    // JSON escapes control characters below U+0020; the others a terminal acts on (DEL, C1,
    // bidirectional formatting) are escaped here, in JSON's own escape form
    out.println(TerminalText.escapeLines(node.toJson(key, showSecrets ? null : redactor, true)));
    if (explain) {
      out.println(TerminalText.escape("origin: " + node.origin()));
    }
    out.flush();
    return ExitCode.OK.code();
  }
}
