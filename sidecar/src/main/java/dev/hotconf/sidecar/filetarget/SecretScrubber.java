package dev.hotconf.sidecar.filetarget;

import dev.hotconf.ConfigNode;
import dev.hotconf.ConfigObject;
import dev.hotconf.ConfigScalar;
import dev.hotconf.Redactor;
import dev.hotconf.source.Trees;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Hides a configuration's secret values (those under keys the {@link Redactor} calls secret) in
 * free text that hotconf did not write itself: a check command's output (nginx prints the offending
 * line, which may hold a password), a template engine's message. Every occurrence of every secret
 * value is replaced by {@value Redactor#REDACTED}, longest first, and control characters other than
 * line breaks and tabs become {@code \\uXXXX} so that nothing reaches a terminal or a log as an
 * escape sequence. Immutable and thread-safe.
 */
public final class SecretScrubber implements UnaryOperator<String> {
  private final List<String> secrets;

  private SecretScrubber(List<String> secrets) {
    this.secrets = secrets;
  }

  /** A scrubber for the secret values of {@code root}. */
  public static SecretScrubber of(ConfigObject root, Redactor redactor) {
    List<String> values = new ArrayList<>();
    for (Map.Entry<String, ConfigNode> e : Trees.flatten(root).entrySet()) {
      if (redactor.isSecret(e.getKey())
          && e.getValue() instanceof ConfigScalar s
          && !s.isNull()
          && !s.text().isEmpty()) {
        values.add(s.text());
        String v = String.valueOf(s.value());
        if (!v.equals(s.text())) {
          values.add(v);
        }
      }
    }
    values.sort(Comparator.comparingInt(String::length).reversed());
    return new SecretScrubber(List.copyOf(values));
  }

  @Override
  public String apply(String text) {
    if (text == null) {
      return null;
    }
    String out = text;
    for (String s : secrets) {
      out = out.replace(s, Redactor.REDACTED);
    }
    return escapeControls(out);
  }

  /** Control characters other than newline and tab as {@code \\uXXXX}. */
  static String escapeControls(String s) {
    StringBuilder sb = null;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean control =
          (c < 0x20 && c != '\n' && c != '\t')
              || (c >= 0x7F && c <= 0x9F)
              || c == '\u2028'
              || c == '\u2029'
              || (c >= '\u202A' && c <= '\u202E')
              || (c >= '\u2066' && c <= '\u2069');
      if (control && sb == null) {
        sb = new StringBuilder(s.length() + 16).append(s, 0, i);
      }
      if (sb != null) {
        if (control) {
          sb.append(String.format(Locale.ROOT, "\\u%04X", (int) c));
        } else {
          sb.append(c);
        }
      }
    }
    return sb == null ? s : sb.toString();
  }
}
