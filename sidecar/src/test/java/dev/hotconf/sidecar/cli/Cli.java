package dev.hotconf.sidecar.cli;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Arrays;
import java.util.List;

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

  static String corpus(String relative) {
    return CORPUS + "/" + relative;
  }
}
