package dev.hotconf.sidecar.filetarget;

import dev.hotconf.ConfigList;
import dev.hotconf.ConfigNode;
import dev.hotconf.ConfigObject;
import dev.hotconf.ConfigScalar;
import dev.hotconf.source.Trees;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/*
 * Design: each writer is exact rather than pretty: what config-core's parser (or sh, for env)
 * reads back from the file is the configuration that was written, whatever the values contain
 * (quotes, newlines, `$(...)`, backticks, `;`, non-ASCII). Strings are always quoted in YAML and
 * env; properties escape per java.util.Properties. No writer quotes a value into an error.
 */

/**
 * The fixed output formats of a file target ({@code format:}): the merged configuration written as
 * JSON (the default: the same bytes as {@code GET /v1/config}), YAML, Java properties, or {@code
 * KEY=value} lines for a shell or a dotenv reader. Stateless and thread-safe.
 */
public enum FileFormat {
  /** Compact JSON, exactly the body of {@code GET /v1/config}. */
  JSON {
    @Override
    public byte[] render(ConfigObject root) {
      return root.toJson().getBytes(StandardCharsets.UTF_8);
    }
  },
  /** Block-style YAML 1.2; every string double-quoted, keys plain where that is unambiguous. */
  YAML {
    @Override
    public byte[] render(ConfigObject root) {
      StringBuilder sb = new StringBuilder();
      if (root.isEmpty()) {
        sb.append("{}\n");
      } else {
        yamlObject(root, 0, sb);
      }
      return sb.toString().getBytes(StandardCharsets.UTF_8);
    }
  },
  /**
   * {@code java.util.Properties} syntax in UTF-8, one dotted key per leaf ({@code
   * servers[0].host=a}); nulls and empty objects or lists have no line.
   */
  PROPERTIES {
    @Override
    public byte[] render(ConfigObject root) {
      StringBuilder sb = new StringBuilder();
      for (Map.Entry<String, ConfigNode> e : Trees.flatten(root).entrySet()) {
        String text = leafText(e.getValue());
        if (text != null) {
          propertiesEscape(e.getKey(), true, sb);
          sb.append('=');
          propertiesEscape(text, false, sb);
          sb.append('\n');
        }
      }
      return sb.toString().getBytes(StandardCharsets.UTF_8);
    }
  },
  /**
   * {@code KEY='value'} lines: the dotted key in upper case, {@code .} and {@code [i]} as {@code
   * _}, {@code -} as {@code __} ({@code db.pool-max} is {@code DB_POOL__MAX}, the reverse of {@code
   * Sources.environment}); each value single-quoted as a POSIX shell reads it ({@code '} written as
   * {@code '\''}). Nulls and empty objects or lists have no line.
   *
   * @throws RenderException for a key that is no variable name, two keys with one name, or a NUL
   */
  ENV {
    @Override
    public byte[] render(ConfigObject root) throws RenderException {
      StringBuilder sb = new StringBuilder();
      Map<String, String> names = new HashMap<>();
      for (Map.Entry<String, ConfigNode> e : Trees.flatten(root).entrySet()) {
        String text = leafText(e.getValue());
        if (text == null) {
          continue;
        }
        String key = e.getKey();
        String name = envName(key);
        if (!ENV_NAME.matcher(name).matches()) {
          throw new RenderException(
              "key '" + key + "' cannot be an environment variable name (it maps to " + name + ")");
        }
        String other = names.putIfAbsent(name, key);
        if (other != null) {
          throw new RenderException(
              "keys '" + other + "' and '" + key + "' both map to the variable " + name);
        }
        if (text.indexOf('\0') >= 0) {
          throw new RenderException("key '" + key + "': a NUL character cannot be in a variable");
        }
        sb.append(name).append('=').append(shellQuote(text)).append('\n');
      }
      return sb.toString().getBytes(StandardCharsets.UTF_8);
    }
  };

  private static final Pattern ENV_NAME = Pattern.compile("[A-Z_][A-Z0-9_]*");
  private static final Pattern PLAIN_KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_-]*");

  /**
   * The configuration as this format's bytes.
   *
   * @throws RenderException when the configuration cannot be written in this format
   */
  public abstract byte[] render(ConfigObject root) throws RenderException;

  /** The format named by {@code format:} ({@code json}, {@code yaml}, ...). */
  public static FileFormat named(String name) {
    return valueOf(name.toUpperCase(Locale.ROOT));
  }

  /** POSIX shell single quoting: the text exactly, whatever it holds (no expansion at all). */
  public static String shellQuote(String text) {
    return "'" + text.replace("'", "'\\''") + "'";
  }

  /** The environment variable name of a dotted key. */
  static String envName(String key) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (c == '.' || c == '[') {
        sb.append('_');
      } else if (c == ']') {
        // [0] -> _0
      } else if (c == '-') {
        sb.append("__");
      } else {
        sb.append(Character.toUpperCase(c));
      }
    }
    return sb.toString();
  }

  /** A leaf's text, or null for a null or an empty object or list (nothing to write). */
  private static String leafText(ConfigNode node) {
    if (node instanceof ConfigScalar s && !s.isNull()) {
      return scalarText(s.value());
    }
    return null;
  }

  private static String scalarText(Object v) {
    if (v instanceof Double d) {
      return d.isNaN() ? "NaN" : d.isInfinite() ? (d > 0 ? "Infinity" : "-Infinity") : d.toString();
    }
    return v.toString();
  }

  // ---- YAML ----

  private static void yamlObject(ConfigObject obj, int indent, StringBuilder sb) {
    for (Map.Entry<String, ConfigNode> e : obj.entries().entrySet()) {
      pad(indent, sb);
      yamlKey(e.getKey(), sb);
      sb.append(':');
      yamlValue(e.getValue(), indent, sb);
    }
  }

  /** Writes a value after "key:" or "-": inline for scalars and empty nodes, else a block below. */
  private static void yamlValue(ConfigNode node, int indent, StringBuilder sb) {
    if (node instanceof ConfigObject o && !o.isEmpty()) {
      sb.append('\n');
      yamlObject(o, indent + 2, sb);
    } else if (node instanceof ConfigList l && l.size() > 0) {
      sb.append('\n');
      yamlList(l, indent + 2, sb);
    } else {
      sb.append(' ');
      yamlInline(node, sb);
      sb.append('\n');
    }
  }

  private static void yamlList(ConfigList list, int indent, StringBuilder sb) {
    for (ConfigNode element : list.elements()) {
      if ((element instanceof ConfigObject o && !o.isEmpty())
          || (element instanceof ConfigList l && l.size() > 0)) {
        // the element's block at indent + 2, its first line's indentation replaced by "- "
        StringBuilder block = new StringBuilder();
        if (element instanceof ConfigObject o) {
          yamlObject(o, indent + 2, block);
        } else {
          yamlList((ConfigList) element, indent + 2, block);
        }
        pad(indent, sb);
        sb.append("- ").append(block, indent + 2, block.length());
      } else {
        pad(indent, sb);
        sb.append('-');
        sb.append(' ');
        yamlInline(element, sb);
        sb.append('\n');
      }
    }
  }

  private static void yamlInline(ConfigNode node, StringBuilder sb) {
    if (node instanceof ConfigObject) {
      sb.append("{}");
    } else if (node instanceof ConfigList) {
      sb.append("[]");
    } else {
      Object v = ((ConfigScalar) node).value();
      if (v == null) {
        sb.append("null");
      } else if (v instanceof String s) {
        yamlQuoted(s, sb);
      } else if (v instanceof Double d) {
        sb.append(d.isNaN() ? ".nan" : d.isInfinite() ? (d > 0 ? ".inf" : "-.inf") : d.toString());
      } else if (v instanceof Long || v instanceof BigInteger || v instanceof Boolean) {
        sb.append(v);
      } else {
        yamlQuoted(v.toString(), sb);
      }
    }
  }

  private static void yamlKey(String key, StringBuilder sb) {
    String lower = key.toLowerCase(Locale.ROOT);
    boolean reserved =
        switch (lower) {
          case "true", "false", "null", "yes", "no", "on", "off", "y", "n" -> true;
          default -> false;
        };
    if (PLAIN_KEY.matcher(key).matches() && !reserved) {
      sb.append(key);
    } else {
      yamlQuoted(key, sb);
    }
  }

  /** A YAML double-quoted scalar: printable text as is, everything else escaped. */
  static void yamlQuoted(String s, StringBuilder sb) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\t' -> sb.append("\\t");
        case '\r' -> sb.append("\\r");
        default -> {
          if (c < 0x20
              || (c >= 0x7F && c <= 0x9F)
              || c == '\u2028'
              || c == '\u2029'
              || c == '\uFEFF'
              || Character.isSurrogate(c) && !validPair(s, i)) {
            sb.append(String.format(Locale.ROOT, "\\u%04X", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    sb.append('"');
  }

  private static boolean validPair(String s, int i) {
    char c = s.charAt(i);
    if (Character.isHighSurrogate(c)) {
      return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
    }
    return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
  }

  private static void pad(int n, StringBuilder sb) {
    sb.append(" ".repeat(n));
  }

  // ---- properties ----

  private static void propertiesEscape(String s, boolean key, StringBuilder sb) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        case '\f' -> sb.append("\\f");
        case '=', ':', '#', '!' -> sb.append('\\').append(c);
        case ' ' -> {
          if (key || i == 0) {
            sb.append("\\ ");
          } else {
            sb.append(' ');
          }
        }
        default -> {
          if (c < 0x20 || c == 0x7F || c == '\u2028' || c == '\u2029' || c == '\u0085') {
            sb.append(String.format(Locale.ROOT, "\\u%04X", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
  }
}
