package dev.hotconf.sidecar.cli;

import dev.hotconf.ConfigException;
import dev.hotconf.ConfigObject;
import dev.hotconf.Problem;
import dev.hotconf.Redactor;
import dev.hotconf.parse.ConfigFormat;
import dev.hotconf.validate.SchemaProvider;
import dev.hotconf.validate.Validator;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import picocli.CommandLine;

/*
 * Design: what publish and rollout start share before they write anything to Consul: the format
 * the instances read the key with, the schema validator exactly as run gets it (the SchemaProvider
 * SPI), and the verdict of config-core's parser followed by the library's pipeline (PipelineCheck).
 */

/**
 * Validates a document exactly as the instances reading a Consul key will: same parser (the key's
 * format), same schema and strict mode, the library's pipeline.
 *
 * @param bytes the document as read (written to Consul as is)
 * @param content the parsed document, or null when it does not parse
 * @param problems every problem; empty when an instance would take it
 */
record DocumentCheck(Input input, byte[] bytes, ConfigObject content, List<Problem> problems) {

  /**
   * Reads and validates {@code file} ({@code -}: stdin) for {@code key}.
   *
   * @param type {@code --type}, or null
   * @param schema {@code --schema}, or null
   * @param redactor the secret keys ({@code --redact} on top of the defaults): messages leave out
   *     their values
   */
  static DocumentCheck of(
      CommandLine.Model.CommandSpec spec,
      String key,
      String file,
      ConfigFormat type,
      Path schema,
      boolean strict,
      Redactor redactor,
      InputStream stdin) {
    if (strict && schema == null) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--strict needs --schema");
    }
    ConfigFormat format = format(spec, type, key, file);
    Input input = new Input(file.equals("-") ? null : Path.of(file), display(file), format);
    byte[] bytes;
    try {
      bytes = input.read(stdin);
    } catch (IOException e) {
      throw new CliException(ExitCode.USAGE, input.display() + ": " + Input.describe(e), e);
    }
    List<Validator> validators = schema == null ? List.of() : List.of(loadSchema(schema, strict));
    List<Problem> problems = new ArrayList<>();
    ConfigObject content = null;
    try {
      content = input.parse(bytes, redactor);
    } catch (ConfigException e) {
      problems.addAll(e.problems());
    }
    if (content != null) {
      boolean quieted = quietPipelineLog();
      try {
        problems.addAll(PipelineCheck.problems(content, validators, redactor));
      } finally {
        if (quieted) {
          System.clearProperty(PIPELINE_LOG_LEVEL);
        }
      }
    }
    return new DocumentCheck(input, bytes, content, List.copyOf(problems));
  }

  boolean valid() {
    return problems.isEmpty();
  }

  /** Prints every problem and a summary line ({@code hotconf: not <what>: ...}) to {@code err}. */
  void report(PrintWriter err, String what) {
    for (Problem p : problems) {
      err.println(Report.textLine(input.display(), p));
    }
    err.println(
        "hotconf: not "
            + what
            + ": "
            + problems.size()
            + (problems.size() == 1 ? " problem" : " problems")
            + " in "
            + input.display());
    err.flush();
  }

  static String display(String file) {
    return file.equals("-") ? Input.STDIN : file;
  }

  /** {@code --type}, else the key's extension (what a Consul source uses), else the file's. */
  static ConfigFormat format(
      CommandLine.Model.CommandSpec spec, ConfigFormat type, String key, String file) {
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

  /** The schema validator exactly as {@code run} gets it: config-core's SchemaProvider SPI. */
  static Validator loadSchema(Path schema, boolean strict) {
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
