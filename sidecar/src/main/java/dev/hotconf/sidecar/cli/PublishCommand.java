package dev.hotconf.sidecar.cli;

import dev.hotconf.ConfigDiff;
import dev.hotconf.ConfigException;
import dev.hotconf.ConfigObject;
import dev.hotconf.ConfigOrigin;
import dev.hotconf.KeyChange;
import dev.hotconf.Problem;
import dev.hotconf.Redactor;
import dev.hotconf.consul.ConsulClient;
import dev.hotconf.consul.ConsulException;
import dev.hotconf.parse.ConfigFormat;
import dev.hotconf.parse.ParseLimits;
import dev.hotconf.validate.SchemaProvider;
import dev.hotconf.validate.Validator;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.concurrent.Callable;
import java.util.function.UnaryOperator;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/*
 * Design: read the key (its value and ModifyIndex), validate the file exactly as an instance will
 * take it (the format the instances read the key with, config-core's parser, then the library's
 * pipeline with the same schema validator and strict mode the sidecar uses), and only then write,
 * with check-and-set on the ModifyIndex read first: a concurrent writer between the read and the
 * write makes the write fail (exit 5) instead of silently replacing what they published. The bytes
 * written are the file's own, never re-rendered.
 */

/** {@code hotconf publish}: validate a file, then write it to a Consul key with check-and-set. */
@Command(
    name = "publish",
    description = {
      "Validate FILE exactly as the instances will (same parser, schema and strict mode),",
      "then write it to a Consul key with check-and-set on the ModifyIndex it was compared with.",
      "--dry-run prints the difference with what Consul holds (secrets redacted) and writes nothing."
    })
public final class PublishCommand implements Callable<Integer>, ReadsStdin, UsesEnvironment {
  @Mixin GlobalOptions global;
  @Mixin ConsulOptions consul;
  @Mixin RedactOptions redact;

  @Option(
      names = "--key",
      required = true,
      paramLabel = "KEY",
      description = "The Consul key the instances read, e.g. config/orders/app.yaml.")
  String key;

  @Option(
      names = "--schema",
      paramLabel = "FILE",
      description = "JSON Schema (2020-12, JSON or YAML) the instances validate with.")
  Path schema;

  @Option(
      names = "--strict",
      description = "Also reject keys the schema does not declare (needs --schema).")
  boolean strict;

  @Option(
      names = "--type",
      paramLabel = "TYPE",
      converter = FormatConverter.class,
      description =
          "The format the instances read the key as: yaml, json, properties (default: by the"
              + " key's extension, else the file's, else yaml).")
  ConfigFormat type;

  @Option(
      names = "--dry-run",
      description = "Validate and print the difference with Consul's current value; write nothing.")
  boolean dryRun;

  @Parameters(paramLabel = "FILE", description = "The configuration to publish (or - for stdin).")
  String file;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;
  private InputStream stdin = System.in;
  private UnaryOperator<String> environment = System::getenv;

  /** Runs between reading the key and writing it: tests put a concurrent writer here. */
  Runnable afterRead = () -> {};

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
    if (strict && schema == null) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--strict needs --schema");
    }
    ConfigFormat format = format();
    Input input = new Input(file.equals("-") ? null : Path.of(file), display(), format);
    byte[] bytes;
    try {
      bytes = input.read(stdin);
    } catch (IOException e) {
      throw new CliException(ExitCode.USAGE, input.display() + ": " + Input.describe(e), e);
    }
    List<Validator> validators = schema == null ? List.of() : List.of(loadSchema());
    Redactor redactor = redact.redactor();
    List<Problem> problems = new ArrayList<>();
    ConfigObject candidate = null;
    try {
      candidate = input.parse(bytes, redactor);
    } catch (ConfigException e) {
      problems.addAll(e.problems());
    }
    if (candidate != null) {
      boolean quieted = quietPipelineLog();
      try {
        problems.addAll(PipelineCheck.problems(candidate, validators, redactor));
      } finally {
        if (quieted) {
          System.clearProperty(PIPELINE_LOG_LEVEL);
        }
      }
    }
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (!problems.isEmpty()) {
      for (Problem p : problems) {
        err.println(Report.textLine(input.display(), p));
      }
      err.println(
          "hotconf: not published: "
              + problems.size()
              + (problems.size() == 1 ? " problem" : " problems")
              + " in "
              + input.display());
      err.flush();
      return ExitCode.INVALID.code();
    }
    try (ConsulClient client = ConsulClient.create(consul.connection(environment))) {
      Optional<ConsulClient.Entry> current = client.get(key);
      long index = current.map(ConsulClient.Entry::modifyIndex).orElse(0L);
      if (current.isPresent() && Arrays.equals(current.get().value(), bytes)) {
        out.println(
            "unchanged: "
                + key
                + " already holds this content (ModifyIndex "
                + index
                + "); nothing written");
        out.flush();
        return ExitCode.OK.code();
      }
      if (dryRun) {
        return dryRun(out, format, current, candidate, bytes.length, redactor);
      }
      afterRead.run();
      if (!client.cas(key, bytes, index)) {
        long now = client.get(key).map(ConsulClient.Entry::modifyIndex).orElse(0L);
        throw new CliException(
            ExitCode.CONFLICT,
            "hotconf: conflict: "
                + key
                + " changed in Consul while publishing (ModifyIndex "
                + (index == 0 ? "none (absent)" : Long.toString(index))
                + " when read, "
                + (now == 0 ? "absent" : Long.toString(now))
                + " now): another writer published meanwhile; nothing was written."
                + " Review their change and publish again.");
      }
      long written =
          client
              .get(key)
              .filter(e -> Arrays.equals(e.value(), bytes))
              .map(ConsulClient.Entry::modifyIndex)
              .orElse(0L);
      out.println(
          "published "
              + input.display()
              + " to "
              + key
              + " ("
              + bytes.length
              + " bytes): ModifyIndex "
              + (index == 0 ? "(new key)" : Long.toString(index))
              + " -> "
              + (written == 0 ? "?" : Long.toString(written)));
      out.flush();
      return ExitCode.OK.code();
    } catch (ConsulException e) {
      throw ConsulOptions.failure("publish " + key, e);
    }
  }

  private int dryRun(
      PrintWriter out,
      ConfigFormat format,
      Optional<ConsulClient.Entry> current,
      ConfigObject candidate,
      int size,
      Redactor redactor) {
    ConfigObject before = ConfigObject.empty(ConfigOrigin.of("consul", key));
    if (current.isPresent()) {
      try {
        before =
            format.parse(
                current.get().value(),
                ConfigOrigin.of("consul", key),
                ParseLimits.defaults(),
                redactor);
      } catch (ConfigException e) {
        out.println(
            "note: the current value of "
                + key
                + " does not parse as "
                + format
                + "; showing every key as added");
      }
    }
    ConfigDiff diff = ConfigDiff.between(before, candidate, redactor);
    for (KeyChange change : diff.changes()) {
      // one line per change, whatever the key or value holds (the Consul value is anyone's)
      out.println(TerminalText.escape(change.toString()));
    }
    out.println(
        "dry run: valid; would write "
            + size
            + " bytes to "
            + key
            + (current.isPresent()
                ? " with check-and-set on ModifyIndex " + current.get().modifyIndex()
                : " (a new key)")
            + ", "
            + diff.changes().size()
            + (diff.changes().size() == 1 ? " change" : " changes")
            + "; nothing written");
    out.flush();
    return ExitCode.OK.code();
  }

  /** {@code --type}, else the key's extension (what a Consul source uses), else the file's. */
  private ConfigFormat format() {
    if (type != null) {
      return type;
    }
    Optional<ConfigFormat> byKey = ConfigFormat.forFileName(key);
    Optional<ConfigFormat> byFile =
        file.equals("-") ? Optional.empty() : ConfigFormat.forFileName(file);
    if (byKey.isPresent() && byFile.isPresent() && byKey.get() != byFile.get()) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          file
              + " looks like "
              + byFile.get()
              + " but instances read "
              + key
              + " as "
              + byKey.get()
              + "; pass --type if they are configured otherwise");
    }
    return byKey.or(() -> byFile).orElse(ConfigFormat.YAML);
  }

  private String display() {
    return file.equals("-") ? Input.STDIN : file;
  }

  /** The schema validator exactly as {@code run} gets it: config-core's SchemaProvider SPI. */
  private Validator loadSchema() {
    SchemaProvider provider =
        ServiceLoader.load(SchemaProvider.class)
            .findFirst()
            .orElseThrow(
                () ->
                    new CliException(
                        ExitCode.USAGE,
                        schema + ": no schema support on the class path (config-schema)"));
    try {
      return provider.load(schema, strict);
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

  private static final String PIPELINE_LOG_LEVEL =
      "org.slf4j.simpleLogger.log.dev.hotconf.HotConfig";

  /**
   * The pipeline logs a rejection at WARN (right for a running instance); here the command prints
   * the problems itself, so the check's own log line would only repeat them. slf4j-simple reads the
   * level when the logger is first created, which in {@code hotconf.jar} happens during this check;
   * the property is removed again afterwards. Returns whether it was set here.
   */
  private static boolean quietPipelineLog() {
    if (System.getProperty(PIPELINE_LOG_LEVEL) != null) {
      return false;
    }
    System.setProperty(PIPELINE_LOG_LEVEL, "error");
    return true;
  }
}
