package dev.hotconf.sidecar.cli;

import dev.hotconf.Problem;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * The outcome of validating several inputs, and its three renderings. The text and github
 * renderings escape control characters ({@link TerminalText}); JSON escapes them as JSON does (and
 * also DEL, C1 controls and bidirectional formatting characters).
 */
final class Report {
  /** One checked input: its display path, problems, or an I/O failure (unreadable). */
  record FileResult(String path, List<Problem> problems, String unreadable) {
    boolean valid() {
      return problems.isEmpty() && unreadable == null;
    }
  }

  /** The output formats of {@code validate}. */
  enum Format {
    text,
    json,
    github
  }

  private final List<FileResult> files = new ArrayList<>();

  void add(FileResult r) {
    files.add(r);
  }

  List<FileResult> files() {
    return files;
  }

  int invalidCount() {
    return (int) files.stream().filter(f -> !f.valid()).count();
  }

  int problemCount() {
    return files.stream().mapToInt(f -> f.problems().size()).sum();
  }

  int unreadableCount() {
    return (int) files.stream().filter(f -> f.unreadable() != null).count();
  }

  void render(Format format, PrintWriter out) {
    switch (format) {
      case text -> renderText(out);
      case json -> renderJson(out);
      case github -> renderGithub(out);
      default -> throw new AssertionError(format);
    }
    out.flush();
  }

  /**
   * {@code PATH:LINE:COL: error: KEY: MESSAGE} (line and column omitted when unknown), safe for a
   * terminal.
   */
  static String textLine(String path, Problem p) {
    return TerminalText.escape(position(path, p)) + ": error: " + message(p);
  }

  static String position(String path, Problem p) {
    if (p.origin() == null) {
      return path;
    }
    return p.origin().toString();
  }

  /** The message with its key, on one line, safe for a terminal (line breaks escaped too). */
  static String message(Problem p) {
    return TerminalText.escape(p.key() == null ? p.message() : p.key() + ": " + p.message());
  }

  private void renderText(PrintWriter out) {
    for (FileResult f : files) {
      for (Problem p : f.problems()) {
        out.println(textLine(f.path(), p));
      }
    }
    out.println(summary());
  }

  String summary() {
    int n = files.size();
    StringBuilder sb =
        new StringBuilder()
            .append(n)
            .append(n == 1 ? " file, " : " files, ")
            .append(invalidCount())
            .append(" invalid, ")
            .append(problemCount())
            .append(problemCount() == 1 ? " problem" : " problems");
    if (unreadableCount() > 0) {
      sb.append(", ").append(unreadableCount()).append(" unreadable");
    }
    return sb.toString();
  }

  private void renderGithub(PrintWriter out) {
    for (FileResult f : files) {
      for (Problem p : f.problems()) {
        StringBuilder sb =
            new StringBuilder("::error file=")
                .append(ghProperty(TerminalText.escape(location(f, p))));
        if (p.origin() != null && p.origin().line() > 0) {
          sb.append(",line=").append(p.origin().line());
          if (p.origin().column() > 0) {
            sb.append(",col=").append(p.origin().column());
          }
        }
        out.println(sb.append("::").append(ghData(message(p))));
      }
      if (f.unreadable() != null) {
        out.println(
            "::error file="
                + ghProperty(TerminalText.escape(f.path()))
                + "::"
                + ghData(TerminalText.escape(f.unreadable())));
      }
    }
    out.println(summary());
  }

  private static String location(FileResult f, Problem p) {
    return p.origin() == null ? f.path() : p.origin().location();
  }

  private static String ghData(String s) {
    return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A");
  }

  private static String ghProperty(String s) {
    return ghData(s).replace(":", "%3A").replace(",", "%2C");
  }

  private void renderJson(PrintWriter out) {
    StringBuilder sb = new StringBuilder();
    sb.append("{\"valid\":")
        .append(invalidCount() == 0)
        .append(",\"summary\":{\"files\":")
        .append(files.size())
        .append(",\"invalid\":")
        .append(invalidCount())
        .append(",\"problems\":")
        .append(problemCount())
        .append(",\"unreadable\":")
        .append(unreadableCount())
        .append("},\"files\":[");
    for (int i = 0; i < files.size(); i++) {
      FileResult f = files.get(i);
      sb.append(i == 0 ? "" : ",")
          .append("{\"path\":")
          .append(quote(f.path()))
          .append(",\"valid\":")
          .append(f.valid());
      if (f.unreadable() != null) {
        sb.append(",\"error\":").append(quote(f.unreadable()));
      }
      sb.append(",\"problems\":[");
      for (int j = 0; j < f.problems().size(); j++) {
        Problem p = f.problems().get(j);
        sb.append(j == 0 ? "" : ",")
            .append("{\"path\":")
            .append(quote(location(f, p)))
            .append(",\"line\":")
            .append(p.origin() == null ? 0 : p.origin().line())
            .append(",\"column\":")
            .append(p.origin() == null ? 0 : p.origin().column())
            .append(",\"key\":")
            .append(p.key() == null ? "null" : quote(p.key()))
            .append(",\"message\":")
            .append(quote(p.message()))
            .append('}');
      }
      sb.append("]}");
    }
    sb.append("]}");
    out.println(sb);
  }

  /** A JSON string literal (no Jackson, to keep startup light). */
  static String quote(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (TerminalText.unsafe(c)) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    return sb.append('"').toString();
  }
}
