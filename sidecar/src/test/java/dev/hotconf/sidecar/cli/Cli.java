package dev.hotconf.sidecar.cli;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import picocli.CommandLine;

/** Runs the CLI in-process, capturing stdout and stderr. */
final class Cli {
  static final String CORPUS = "src/test/resources/corpus";

  record Result(int code, String out, String err) {
    List<String> outLines() {
      return out.isEmpty()
          ? List.of()
          : Arrays.asList(out.split("\n", -1))
              .subList(0, out.split("\n", -1).length - (out.endsWith("\n") ? 1 : 0));
    }
  }

  private Cli() {}

  static Result run(String... args) {
    return runWithStdin(new byte[0], args);
  }

  static Result runWithStdin(byte[] stdin, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code;
    try (PrintWriter o = new PrintWriter(out);
        PrintWriter e = new PrintWriter(err)) {
      code = HotconfCommand.execute(args, new ByteArrayInputStream(stdin), o, e);
    }
    return new Result(
        code, out.toString().replace("\r\n", "\n"), err.toString().replace("\r\n", "\n"));
  }

  /** Runs with these environment variables (and no other) visible to the commands. */
  static Result runWithEnv(Map<String, String> env, String... args) {
    return runWith(env, cl -> {}, args);
  }

  /**
   * Runs with {@code env} after {@code prepare} has seen the command line (to reach a command
   * object, e.g. {@code cl.getSubcommands().get("publish").getCommand()}).
   */
  static Result runWith(Map<String, String> env, Consumer<CommandLine> prepare, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code;
    try (PrintWriter o = new PrintWriter(out);
        PrintWriter e = new PrintWriter(err)) {
      CommandLine cl =
          HotconfCommand.newCommandLine(new ByteArrayInputStream(new byte[0]), o, e, env::get);
      prepare.accept(cl);
      code = cl.execute(args);
    }
    return new Result(
        code, out.toString().replace("\r\n", "\n"), err.toString().replace("\r\n", "\n"));
  }

  static String corpus(String relative) {
    return CORPUS + "/" + relative;
  }
}
