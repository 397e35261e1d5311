package dev.hotconf.sidecar.filetarget;

import java.util.Locale;

/**
 * The escaping strategies a template can choose ({@code {% autoescape "quoted" %}}, {@code {{ v |
 * escape(strategy="shell") }}}); {@link #LINE} is the default. Each applies to strings printed by
 * {@code {{ }}}; numbers and booleans print as they are, {@code | raw} prints a string unescaped.
 * Stateless.
 */
public final class Escapes {
  /** Default: the value as it is, refused (a render error) if it holds a line break or control. */
  public static final String LINE = "line";

  /** A double-quoted string with C-style escapes ({@code "a \"b\"\n"}): nginx, HAProxy, TOML. */
  public static final String QUOTED = "quoted";

  /** A POSIX shell single-quoted word. */
  public static final String SHELL = "shell";

  /** A YAML double-quoted scalar. */
  public static final String YAML = "yaml";

  /** A JSON string literal, quotes included. */
  public static final String JSON = "json";

  /** No escaping at all (as {@code | raw} for every value). */
  public static final String NONE = "none";

  private Escapes() {}

  static String line(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if ((c < 0x20 && c != '\t') || c == 0x7F || c == '\u0085' || c == '\u2028' || c == '\u2029') {
        throw new TemplateRenderer.ValueRefused(
            "a value with a line break or control character cannot be printed with the default"
                + " escaping 'line'; choose another (escape(strategy=\"quoted\"), ...) or | raw");
      }
    }
    return s;
  }

  static String quoted(String s) {
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
          if (c < 0x20 || c == 0x7F) {
            throw new TemplateRenderer.ValueRefused(
                "a value with a control character cannot be written as a quoted string");
          }
          sb.append(c);
        }
      }
    }
    return sb.append('"').toString();
  }

  static String yaml(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 2);
    FileFormat.yamlQuoted(s, sb);
    return sb.toString();
  }

  static String json(String s) {
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
          if (c < 0x20 || c == '\u2028' || c == '\u2029') {
            sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    return sb.append('"').toString();
  }
}
