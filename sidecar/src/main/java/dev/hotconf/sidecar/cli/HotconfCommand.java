package dev.hotconf.sidecar.cli;

import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.UnaryOperator;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

/**
 * The top-level {@code hotconf} command. Subcommands are registered in one place, {@link
 * #SUBCOMMANDS}, by name.
 *
 * <p>Start-up: picocli builds its model of a command by reflection over its annotations, which for
 * every command and mixin costs about as much as a short command's own work. {@link
 * #execute(String[], InputStream, PrintWriter, PrintWriter, UnaryOperator)} therefore builds only
 * the command the arguments name (the first argument that is not an option: the top level has only
 * flags), under the same top-level command, so its usage, errors and exit codes are those of the
 * whole tree; anything else ({@code help}, an unknown or misspelt name, no command) gets the whole
 * tree, for suggestions and the command list. {@link #newCommandLine} always builds the whole tree
 * (documentation, completion, tests).
 */
@Command(
    name = "hotconf",
    mixinStandardHelpOptions = true,
    versionProvider = VersionCommand.Provider.class,
    description =
        "Validate, inspect, compare and publish hotconf configuration; watch what a fleet runs.",
    synopsisSubcommandLabel = "COMMAND",
    exitCodeListHeading = "%nExit codes:%n")
public final class HotconfCommand implements Runnable {

  /**
   * A subcommand: its name (as in its {@code @Command}), and {@link #create} makes one. A switch,
   * not method references: a method reference's first call bootstraps method handles, and nine of
   * them were ~10% of a short command's start (benchmarks/results/footprint.md, section 6).
   */
  record Subcommand(String name) {
    /** A new instance of this subcommand; loads no other command's class. */
    Object create() {
      return switch (name) {
        case "run" -> new RunCommand();
        case "validate" -> new ValidateCommand();
        case "get" -> new GetCommand();
        case "diff" -> new DiffCommand();
        case "publish" -> new PublishCommand();
        case "fleet" -> new FleetCommand();
        case "rollout" -> new RolloutCommand();
        case "version" -> new VersionCommand();
        case "help" -> new CommandLine.HelpCommand();
        default -> throw new IllegalArgumentException("no subcommand " + name);
      };
    }
  }

  /** Every subcommand, in help order. Another command is one more line here and a case above. */
  static final List<Subcommand> SUBCOMMANDS =
      List.of(
          new Subcommand("run"),
          new Subcommand("validate"),
          new Subcommand("get"),
          new Subcommand("diff"),
          new Subcommand("publish"),
          new Subcommand("fleet"),
          new Subcommand("rollout"),
          new Subcommand("version"),
          new Subcommand("help"));

  @Mixin GlobalOptions global;
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "missing command");
  }

  /** A configured command line writing to {@code out} and {@code err}. */
  public static CommandLine newCommandLine(InputStream in, PrintWriter out, PrintWriter err) {
    return newCommandLine(in, out, err, System::getenv);
  }

  /**
   * A configured command line writing to {@code out} and {@code err}, reading environment variables
   * ({@code CONSUL_HTTP_ADDR}, ...) through {@code environment}.
   */
  public static CommandLine newCommandLine(
      InputStream in, PrintWriter out, PrintWriter err, UnaryOperator<String> environment) {
    return newCommandLine(in, out, err, environment, SUBCOMMANDS);
  }

  private static CommandLine newCommandLine(
      InputStream in,
      PrintWriter out,
      PrintWriter err,
      UnaryOperator<String> environment,
      List<Subcommand> subcommands) {
    CommandLine cl = new CommandLine(new HotconfCommand());
    for (Subcommand s : subcommands) {
      Object command = s.create();
      if (command instanceof ReadsStdin r) {
        r.stdin(in);
      }
      cl.addSubcommand(s.name(), command);
    }
    injectEnvironment(cl, environment);
    cl.setOut(out);
    cl.setErr(err);
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    applyExitCodeList(cl);
    cl.setParameterExceptionHandler(HotconfCommand::onUsageError);
    cl.setExecutionExceptionHandler(HotconfCommand::onExecutionError);
    return cl;
  }

  private static void injectEnvironment(CommandLine cl, UnaryOperator<String> environment) {
    for (CommandLine sub : cl.getSubcommands().values()) {
      if (sub.getCommand() instanceof UsesEnvironment u) {
        u.environment(environment);
      }
      injectEnvironment(sub, environment);
    }
  }

  private static void applyExitCodeList(CommandLine cl) {
    cl.getCommandSpec()
        .usageMessage()
        .exitCodeListHeading("%nExit codes:%n")
        .exitCodeList(ExitCode.helpList());
    cl.getSubcommands().values().forEach(HotconfCommand::applyExitCodeList);
  }

  /** Runs {@code args} on the process's stdout/stderr; returns the exit code. */
  public static int execute(String[] args) {
    PrintWriter out =
        new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
    PrintWriter err =
        new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
    int code = execute(args, System.in, out, err);
    out.flush();
    err.flush();
    return code;
  }

  /** Runs {@code args} in-process; returns the exit code. */
  public static int execute(String[] args, InputStream in, PrintWriter out, PrintWriter err) {
    return execute(args, in, out, err, System::getenv);
  }

  /** Runs {@code args} in-process with the given environment variables; returns the exit code. */
  public static int execute(
      String[] args,
      InputStream in,
      PrintWriter out,
      PrintWriter err,
      UnaryOperator<String> environment) {
    return newCommandLine(in, out, err, environment, needed(args)).execute(args);
  }

  /**
   * The subcommands {@code args} need: the one they name, or all of them (for {@code help}, an
   * unknown name, or none).
   */
  static List<Subcommand> needed(String[] args) {
    for (String arg : args) {
      if (arg.equals("--stacktrace")) {
        continue; // the top level's only flag that does not print the whole tree's usage
      }
      if (arg.startsWith("-")) {
        return SUBCOMMANDS; // -h, --help, -V, --version or a mistake: the whole tree answers
      }
      for (Subcommand s : SUBCOMMANDS) {
        if (s.name().equals(arg) && !s.name().equals("help")) {
          return List.of(s);
        }
      }
      break;
    }
    return SUBCOMMANDS;
  }

  private static int onUsageError(CommandLine.ParameterException e, String[] args) {
    CommandLine cl = e.getCommandLine();
    PrintWriter err = cl.getErr();
    err.println(TerminalText.escapeLines("hotconf: " + e.getMessage()));
    if (!CommandLine.UnmatchedArgumentException.printSuggestions(e, err)) {
      String sub = subcommandPath(cl);
      int last = sub.lastIndexOf(' ');
      err.println(
          sub.isEmpty()
              ? "Try 'hotconf help'."
              : last < 0
                  ? "Try 'hotconf help " + sub + "'."
                  // a nested command's help comes from its parent's help command
                  : "Try 'hotconf "
                      + sub.substring(0, last)
                      + " help "
                      + sub.substring(last + 1)
                      + "'.");
    }
    err.flush();
    return ExitCode.USAGE.code();
  }

  private static String subcommandPath(CommandLine cl) {
    String q = cl.getCommandSpec().qualifiedName(" ");
    return q.startsWith("hotconf") ? q.substring("hotconf".length()).trim() : q;
  }

  private static int onExecutionError(Exception e, CommandLine cl, ParseResult parsed) {
    PrintWriter err = cl.getErr();
    ExitCode code;
    if (e instanceof CliException ce) {
      err.println(TerminalText.escapeLines(ce.getMessage()));
      code = ce.exitCode();
    } else {
      err.println(TerminalText.escapeLines("hotconf: internal error: " + e));
      code = ExitCode.INTERNAL;
    }
    if (stacktraceRequested(parsed)) {
      e.printStackTrace(err);
    }
    err.flush();
    return code.code();
  }

  static boolean stacktraceRequested(ParseResult parsed) {
    for (ParseResult p = parsed; p != null; p = p.subcommand()) {
      if (p.hasMatchedOption("--stacktrace")) {
        return true;
      }
    }
    return false;
  }
}
