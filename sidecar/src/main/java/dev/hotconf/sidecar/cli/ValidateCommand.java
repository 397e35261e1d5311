package dev.hotconf.sidecar.cli;

import dev.hotconf.ConfigException;
import dev.hotconf.ConfigObject;
import dev.hotconf.Problem;
import dev.hotconf.Redactor;
import dev.hotconf.parse.ConfigFormat;
import dev.hotconf.schema.Schemas;
import dev.hotconf.schema.TreeCheck;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code hotconf validate}: checks files with config-core's parser and, optionally, a JSON Schema.
 */
@Command(
    name = "validate",
    description = {
      "Check configuration files: syntax, everything hotconf rejects, and a JSON Schema.",
      "Every problem of every file is reported as PATH:LINE:COL: error: MESSAGE."
    })
public final class ValidateCommand implements Callable<Integer>, ReadsStdin {
  @Mixin GlobalOptions global;
  @Mixin RedactOptions redact;

  @Option(
      names = "--schema",
      paramLabel = "FILE",
      description = "JSON Schema (2020-12), written in JSON or YAML.")
  Path schema;

  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      defaultValue = "text",
      description = "Output: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  Report.Format format;

  @Option(
      names = "--type",
      paramLabel = "TYPE",
      converter = FormatConverter.class,
      description =
          "Format of stdin and of files without a known extension: yaml, json, properties"
              + " (default: yaml).")
  ConfigFormat type;

  @Option(
      names = "--strict",
      description = "Also reject keys the schema does not declare (needs --schema).")
  boolean strict;

  @Parameters(
      paramLabel = "PATH",
      arity = "1..*",
      description =
          "Files, directories (searched recursively for *.yaml, *.yml, *.json, *.properties)"
              + " or - for stdin.")
  List<String> paths;

  private InputStream stdin = System.in;

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void stdin(InputStream in) {
    this.stdin = in;
  }

  @Override
  public Integer call() {
    if (strict && schema == null) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(), "--strict needs --schema");
    }
    TreeCheck check = schema == null ? null : loadSchema();
    Redactor redactor = redact.redactor();
    Report report = new Report();
    ExitCode outcome = ExitCode.OK;
    for (String arg : paths) {
      for (Input input : expand(arg, report)) {
        report.add(checkOne(input, check, redactor));
      }
    }
    report.render(format, spec.commandLine().getOut());
    if (report.unreadableCount() > 0) {
      for (Report.FileResult f : report.files()) {
        if (f.unreadable() != null) {
          spec.commandLine()
              .getErr()
              .println(TerminalText.escape(f.path() + ": " + f.unreadable()));
        }
      }
      spec.commandLine().getErr().flush();
      outcome = ExitCode.USAGE;
    } else if (report.invalidCount() > 0) {
      outcome = ExitCode.INVALID;
    }
    return outcome.code();
  }

  private TreeCheck loadSchema() {
    try {
      return Schemas.load(schema, strict);
    } catch (IOException e) {
      throw new CliException(ExitCode.USAGE, schema + ": " + Input.describe(e), e);
    } catch (ConfigException e) {
      StringBuilder sb = new StringBuilder();
      for (Problem p : e.problems()) {
        sb.append(sb.length() == 0 ? "" : "\n")
            .append(p.origin() == null ? schema.toString() : p.origin().toString())
            .append(": schema error: ")
            .append(Report.message(p));
      }
      throw new CliException(ExitCode.USAGE, sb.toString(), e);
    } catch (IllegalArgumentException e) {
      throw new CliException(ExitCode.USAGE, schema + ": " + e.getMessage(), e);
    }
  }

  private Report.FileResult checkOne(Input input, TreeCheck check, Redactor redactor) {
    byte[] bytes;
    try {
      bytes = input.read(stdin);
    } catch (IOException e) {
      return new Report.FileResult(input.display(), List.of(), Input.describe(e));
    } catch (OutOfMemoryError e) {
      return new Report.FileResult(input.display(), List.of(), "cannot read: too large");
    }
    try {
      ConfigObject root = input.parse(bytes, redactor);
      List<Problem> problems = check == null ? List.of() : check.check(root, redactor);
      return new Report.FileResult(input.display(), problems, null);
    } catch (ConfigException e) {
      return new Report.FileResult(input.display(), e.problems(), null);
    }
  }

  /** A path argument as inputs: a file, stdin, or a directory's config files (sorted). */
  private List<Input> expand(String arg, Report report) {
    if (arg.equals("-")) {
      return List.of(Input.of(arg, type));
    }
    Path p = Path.of(arg);
    if (!Files.isDirectory(p)) {
      return List.of(Input.of(arg, type));
    }
    List<Input> out = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(p)) {
      walk.filter(Files::isRegularFile)
          .filter(f -> ConfigFormat.forFileName(f.getFileName().toString()).isPresent())
          .map(Path::toString)
          .sorted()
          .forEach(f -> out.add(Input.of(f, type)));
    } catch (IOException | UncheckedIOException e) {
      IOException io = e instanceof UncheckedIOException u ? u.getCause() : (IOException) e;
      report.add(new Report.FileResult(arg, List.of(), Input.describe(io)));
    }
    return out;
  }
}
