package dev.hotconf.parse;

import dev.hotconf.ConfigOrigin;
import dev.hotconf.ConfigScalar;
import java.math.BigInteger;
import java.util.regex.Pattern;

/**
 * Typing of plain scalars by the YAML 1.2 core schema, shared by every format so that a value means
 * the same whether it was written in YAML, a {@code .properties} file, an environment variable or
 * a Consul key.
 *
 * <p>Core schema, unlike SnakeYAML's YAML 1.1 default: {@code yes}/{@code no}/{@code on}/{@code
 * off} are strings, {@code 010} is the integer 10, {@code 0o17} is octal, {@code 0x1F} hex. Only
 * {@code true}/{@code false} (in lower, Title or UPPER case) are booleans.
 *
 * <p>Stateless and thread-safe.
 */
public final class Scalars {
  private static final Pattern INT_DEC = Pattern.compile("[-+]?[0-9]+");
  private static final Pattern INT_OCT = Pattern.compile("0o[0-7]+");
  private static final Pattern INT_HEX = Pattern.compile("0x[0-9a-fA-F]+");
  private static final Pattern FLOAT =
      Pattern.compile("[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?");
  private static final Pattern INF = Pattern.compile("[-+]?\\.(inf|Inf|INF)");
  private static final Pattern NAN = Pattern.compile("\\.(nan|NaN|NAN)");

  private Scalars() {}

  /** Resolves a plain (unquoted) YAML scalar: null, boolean, integer, float or string. */
  public static ConfigScalar resolvePlain(String text, ConfigOrigin origin) {
    if (isNull(text)) {
      return ConfigScalar.of(null, text, origin);
    }
    return resolveNonNull(text, origin);
  }

  /**
   * Resolves a value from a string-only format (properties, environment, Consul prefix keys): as
   * {@link #resolvePlain} except that nothing becomes null: {@code key=} is the empty string and
   * {@code null} is the string "null".
   */
  public static ConfigScalar resolveText(String text, ConfigOrigin origin) {
    return resolveNonNull(text, origin);
  }

  /** Whether the core schema reads {@code text} as null: empty, {@code ~}, {@code null}. */
  public static boolean isNull(String text) {
    return text.isEmpty()
        || text.equals("~")
        || text.equals("null")
        || text.equals("Null")
        || text.equals("NULL");
  }

  /** The core schema's boolean for {@code text}, or null when it is not a boolean. */
  public static Boolean parseBoolean(String text) {
    switch (text) {
      case "true", "True", "TRUE":
        return Boolean.TRUE;
      case "false", "False", "FALSE":
        return Boolean.FALSE;
      default:
        return null;
    }
  }

  /** The core schema's integer for {@code text} (Long, or BigInteger when large), or null. */
  public static Number parseInteger(String text) {
    if (text.isEmpty()) {
      return null;
    }
    if (INT_DEC.matcher(text).matches()) {
      return narrow(new BigInteger(text.startsWith("+") ? text.substring(1) : text));
    }
    if (INT_OCT.matcher(text).matches()) {
      return narrow(new BigInteger(text.substring(2), 8));
    }
    if (INT_HEX.matcher(text).matches()) {
      return narrow(new BigInteger(text.substring(2), 16));
    }
    return null;
  }

  /** The core schema's float for {@code text}, or null. */
  public static Double parseFloat(String text) {
    if (text.isEmpty()) {
      return null;
    }
    if (FLOAT.matcher(text).matches()) {
      return Double.valueOf(text);
    }
    if (INF.matcher(text).matches()) {
      return text.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    }
    if (NAN.matcher(text).matches()) {
      return Double.NaN;
    }
    return null;
  }

  private static ConfigScalar resolveNonNull(String text, ConfigOrigin origin) {
    Boolean b = parseBoolean(text);
    if (b != null) {
      return ConfigScalar.of(b, text, origin);
    }
    Number n = parseInteger(text);
    if (n != null) {
      return ConfigScalar.of(n, text, origin);
    }
    Double d = parseFloat(text);
    if (d != null) {
      return ConfigScalar.of(d, text, origin);
    }
    return ConfigScalar.of(text, text, origin);
  }

  private static Number narrow(BigInteger value) {
    return value.bitLength() < 64 ? (Number) value.longValue() : value;
  }
}
