package dev.hotconf.internal;

import dev.hotconf.ConfigObject;
import dev.hotconf.ConfigOrigin;
import dev.hotconf.ConfigParseException;
import dev.hotconf.Problem;
import dev.hotconf.parse.ParseLimits;
import dev.hotconf.parse.Scalars;
import java.util.ArrayList;
import java.util.List;

/**
 * Java {@code .properties} to tree, keeping the line of every key (which {@link
 * java.util.Properties} cannot). Follows {@code Properties.load}'s syntax: {@code #}/{@code !}
 * comments, {@code =}, {@code :} or white space as separator, {@code \} line continuations and
 * escapes including {@code \\}{@code uXXXX}. Read as UTF-8. Keys are paths ({@code
 * servers[0].host}); values are typed like plain YAML scalars, except that nothing is null (see
 * {@link Scalars#resolveText}). A repeated key is an error.
 */
public final class PropertiesDocumentParser {
  private PropertiesDocumentParser() {}

  public static ConfigObject parse(byte[] content, ConfigOrigin origin, ParseLimits limits) {
    String text = DocumentText.decode(content, origin, limits);
    List<Problem> problems = new ArrayList<>();
    TreeAssembler assembler = new TreeAssembler(origin.at(1, 1), problems);
    String[] lines = text.split("\r\n|\r|\n", -1);
    int count = 0;
    for (int i = 0; i < lines.length; i++) {
      int firstLine = i + 1;
      String line = stripLeading(lines[i]);
      if (line.isEmpty() || line.charAt(0) == '#' || line.charAt(0) == '!') {
        continue;
      }
      StringBuilder logical = new StringBuilder(line);
      while (endsWithContinuation(logical) && i + 1 < lines.length) {
        logical.setLength(logical.length() - 1);
        logical.append(stripLeading(lines[++i]));
      }
      if (endsWithContinuation(logical)) {
        logical.setLength(logical.length() - 1);
      }
      int column = lines[firstLine - 1].length() - line.length() + 1;
      ConfigOrigin at = origin.at(firstLine, column);
      if (++count > limits.maxValues()) {
        problems.add(
            Problem.at(at, "document has more than " + limits.maxValues() + " values (maxValues)"));
        break;
      }
      addEntry(logical.toString(), at, assembler, problems, limits);
    }
    ConfigObject result = assembler.root().build();
    if (!problems.isEmpty()) {
      throw new ConfigParseException(problems);
    }
    return result;
  }

  private static void addEntry(
      String line,
      ConfigOrigin at,
      TreeAssembler assembler,
      List<Problem> problems,
      ParseLimits limits) {
    int keyEnd = 0;
    StringBuilder key = new StringBuilder();
    boolean escaped = false;
    for (; keyEnd < line.length(); keyEnd++) {
      char c = line.charAt(keyEnd);
      if (escaped) {
        escaped = false;
        continue;
      }
      if (c == '\\') {
        escaped = true;
      } else if (c == '=' || c == ':' || c == ' ' || c == '\t' || c == '\f') {
        break;
      }
    }
    int valueStart = keyEnd;
    while (valueStart < line.length() && isBlank(line.charAt(valueStart))) {
      valueStart++;
    }
    if (valueStart < line.length()
        && (line.charAt(valueStart) == '=' || line.charAt(valueStart) == ':')) {
      valueStart++;
      while (valueStart < line.length() && isBlank(line.charAt(valueStart))) {
        valueStart++;
      }
    }
    try {
      unescape(line.substring(0, keyEnd), key);
      StringBuilder value = new StringBuilder();
      unescape(line.substring(valueStart), value);
      String k = key.toString();
      Object[] path;
      try {
        path = PathSyntax.parse(k);
      } catch (IllegalArgumentException e) {
        problems.add(Problem.at(at, e.getMessage()));
        return;
      }
      // each segment but the last opens an object or list below the root
      if (path.length > limits.maxNestingDepth()) {
        problems.add(
            Problem.at(
                at,
                "key '"
                    + k
                    + "' makes the nesting depth exceed the limit of "
                    + limits.maxNestingDepth()
                    + " (maxNestingDepth)"));
        return;
      }
      assembler.root().put(path, Scalars.resolveText(value.toString(), at, limits), at, k);
    } catch (IllegalArgumentException e) {
      problems.add(Problem.at(at, e.getMessage()));
    } catch (ConfigParseException e) {
      problems.addAll(e.problems());
    }
  }

  private static void unescape(String s, StringBuilder out) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c != '\\') {
        out.append(c);
        continue;
      }
      if (++i == s.length()) {
        return;
      }
      char e = s.charAt(i);
      switch (e) {
        case 't' -> out.append('\t');
        case 'n' -> out.append('\n');
        case 'r' -> out.append('\r');
        case 'f' -> out.append('\f');
        case 'u' -> {
          String hex = s.substring(i + 1, Math.min(s.length(), i + 5));
          if (hex.length() != 4 || !hex.chars().allMatch(ch -> Character.digit(ch, 16) >= 0)) {
            throw new IllegalArgumentException("malformed \\uXXXX escape");
          }
          out.append((char) Integer.parseInt(hex, 16));
          i += 4;
        }
        default -> out.append(e);
      }
    }
  }

  private static boolean endsWithContinuation(CharSequence s) {
    int backslashes = 0;
    for (int i = s.length() - 1; i >= 0 && s.charAt(i) == '\\'; i--) {
      backslashes++;
    }
    return backslashes % 2 == 1;
  }

  private static String stripLeading(String s) {
    int i = 0;
    while (i < s.length() && isBlank(s.charAt(i))) {
      i++;
    }
    return s.substring(i);
  }

  private static boolean isBlank(char c) {
    return c == ' ' || c == '\t' || c == '\f';
  }
}
