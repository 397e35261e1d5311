package dev.hotconf.sidecar.cli;

/**
 * Makes text from configuration documents safe to print where a terminal (or a CI log viewer) reads
 * it. Keys, values, file names and messages quoting them may hold control characters: an escape
 * sequence ({@code ESC [ ...}) recolours, moves the cursor, rewrites the window title or hides what
 * follows; a carriage return or line break forges a line (a fake {@code OK} or diff line); a
 * bidirectional override reorders what is shown. Each such character is shown as {@code \}{@code
 * uXXXX} (upper-case hex) instead: the C0 controls (tab excepted), DEL, the C1 controls, the line
 * and paragraph separators and the bidirectional formatting characters.
 *
 * <p>The same escape is valid inside a JSON string, so JSON output can be filtered too. A backslash
 * is left alone (Windows paths stay readable), so {@code \}{@code u001B} written as text in a
 * document looks the same as an escaped ESC: the output stays harmless either way.
 *
 * <p>Stateless and thread-safe.
 */
final class TerminalText {
  private TerminalText() {}

  /** {@code text} (one line) with every unsafe character escaped; null gives "null". */
  static String escape(String text) {
    if (text == null) {
      return "null";
    }
    int i = 0;
    while (i < text.length() && !unsafe(text.charAt(i))) {
      i++;
    }
    if (i == text.length()) {
      return text;
    }
    StringBuilder sb = new StringBuilder(text.length() + 16).append(text, 0, i);
    for (; i < text.length(); i++) {
      char c = text.charAt(i);
      if (unsafe(c)) {
        sb.append(String.format("\\u%04X", (int) c));
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  /** Each line of {@code text} escaped, joined with line breaks again. */
  static String escapeLines(String text) {
    if (text == null) {
      return "null";
    }
    String[] lines = text.split("\r\n|\n", -1);
    StringBuilder sb = new StringBuilder(text.length());
    for (int i = 0; i < lines.length; i++) {
      sb.append(i == 0 ? "" : "\n").append(escape(lines[i]));
    }
    return sb.toString();
  }

  /** Whether {@code c} is escaped (see the class comment). */
  static boolean unsafe(char c) {
    return (c < 0x20 && c != '\t')
        || (c >= 0x7F && c <= 0x9F)
        || c == 0x061C // Arabic letter mark
        || c == 0x200E // left-to-right mark
        || c == 0x200F // right-to-left mark
        || (c >= 0x2028 && c <= 0x202E) // line and paragraph separators, embeddings, overrides
        || (c >= 0x2066 && c <= 0x2069); // isolates
  }
}
