package dev.hotconf.parse;

import dev.hotconf.ConfigOrigin;
import dev.hotconf.ConfigParseException;
import dev.hotconf.ConfigScalar;
import java.math.BigInteger;

/**
 * Typing of plain scalars by the YAML 1.2 core schema, shared by every format so that a value means
 * the same whether it was written in YAML, a {@code .properties} file, an environment variable or a
 * Consul key.
 *
 * <p>Core schema, unlike SnakeYAML's YAML 1.1 default: {@code yes}/{@code no}/{@code on}/{@code
 * off} are strings, {@code 010} is the integer 10, {@code 0o17} is octal, {@code 0x1F} hex. Only
 * {@code true}/{@code false} (in lower, Title or UPPER case) are booleans.
 *
 * <p>The grammar, as regular expressions (matched by hand here: a reload types every key and value
 * of a document, and a {@code Matcher} per pattern and scalar was most of a parse's allocation):
 *
 * <ul>
 *   <li>decimal integer {@code [-+]?[0-9]+}, octal {@code 0o[0-7]+}, hexadecimal {@code
 *       0x[0-9a-fA-F]+};
 *   <li>float {@code [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?}, {@code
 *       [-+]?\.(inf|Inf|INF)}, {@code \.(nan|NaN|NAN)}.
 * </ul>
 *
 * <p>Number literals are bounded ({@link ParseLimits#maxNumberDigits()}, 1,000 digits by default):
 * the {@code resolve} methods that take limits reject a longer one with a positioned {@link
 * ConfigParseException}, before anything converts it. {@link #parseInteger} and {@link #parseFloat}
 * do not check: callers bound the text first ({@link #numberDigits}).
 *
 * <p>Stateless and thread-safe.
 */
public final class Scalars {
  private Scalars() {}

  /**
   * Resolves a plain (unquoted) YAML scalar: null, boolean, integer, float or string, under the
   * default limits.
   *
   * @throws ConfigParseException at {@code origin} for a number with more digits than allowed
   */
  public static ConfigScalar resolvePlain(String text, ConfigOrigin origin) {
    return resolvePlain(text, origin, ParseLimits.defaults());
  }

  /**
   * Resolves a plain (unquoted) YAML scalar: null, boolean, integer, float or string.
   *
   * @throws ConfigParseException at {@code origin} for a number with more than {@link
   *     ParseLimits#maxNumberDigits()} digits
   */
  public static ConfigScalar resolvePlain(String text, ConfigOrigin origin, ParseLimits limits) {
    if (isNull(text)) {
      return ConfigScalar.of(null, text, origin);
    }
    if (tooManyDigits(text, limits)) {
      throw new ConfigParseException(
          origin, tooManyDigitsMessage(limits) + "; quote it to keep it as a string");
    }
    return resolveNonNull(text, origin);
  }

  /**
   * Resolves a value from a string-only format (properties, environment, Consul prefix keys): as
   * {@link #resolvePlain} except that nothing becomes null: {@code key=} is the empty string and
   * {@code null} is the string "null".
   */
  public static ConfigScalar resolveText(String text, ConfigOrigin origin) {
    return resolveText(text, origin, ParseLimits.defaults());
  }

  /**
   * As {@link #resolveText(String, ConfigOrigin)}, under {@code limits}.
   *
   * @throws ConfigParseException at {@code origin} for a number with more than {@link
   *     ParseLimits#maxNumberDigits()} digits
   */
  public static ConfigScalar resolveText(String text, ConfigOrigin origin, ParseLimits limits) {
    checkNumberDigits(text, origin, limits);
    return resolveNonNull(text, origin);
  }

  /**
   * The number of digits of {@code text} when the core schema reads it as an integer or a float
   * (for {@code 0x}/{@code 0o} integers the digits after the prefix; for floats those before and
   * after the point and in the exponent), else 0. Linear, allocation-free.
   */
  public static int numberDigits(String text) {
    if (text.isEmpty()) {
      return 0;
    }
    if (isDecimal(text)) {
      return text.length() - (text.charAt(0) == '-' || text.charAt(0) == '+' ? 1 : 0);
    }
    if (hasDigitsAfter(text, "0o", 8) || hasDigitsAfter(text, "0x", 16)) {
      return text.length() - 2;
    }
    if (isFloat(text)) {
      int n = 0;
      for (int i = 0; i < text.length(); i++) {
        char c = text.charAt(i);
        if (c >= '0' && c <= '9') {
          n++;
        }
      }
      return n;
    }
    return 0;
  }

  /**
   * Rejects {@code text} when it is a number (see {@link #numberDigits}) with more than {@link
   * ParseLimits#maxNumberDigits()} digits.
   *
   * @throws ConfigParseException at {@code origin}; the message does not quote the number
   */
  public static void checkNumberDigits(String text, ConfigOrigin origin, ParseLimits limits) {
    if (tooManyDigits(text, limits)) {
      throw new ConfigParseException(origin, tooManyDigitsMessage(limits));
    }
  }

  private static boolean tooManyDigits(String text, ParseLimits limits) {
    // the length check first: most scalars are short, and digits never outnumber characters
    return text.length() > limits.maxNumberDigits()
        && numberDigits(text) > limits.maxNumberDigits();
  }

  /**
   * The problem message for a number literal over {@link ParseLimits#maxNumberDigits()}; it does
   * not quote the number.
   */
  public static String tooManyDigitsMessage(ParseLimits limits) {
    return "number has more than " + limits.maxNumberDigits() + " digits (maxNumberDigits)";
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
    if (isDecimal(text)) {
      // up to 18 characters (sign included) always fits a long
      return text.length() <= 18
          ? (Number) Long.parseLong(text)
          : narrow(new BigInteger(text.charAt(0) == '+' ? text.substring(1) : text));
    }
    if (hasDigitsAfter(text, "0o", 8)) {
      return narrow(new BigInteger(text.substring(2), 8));
    }
    if (hasDigitsAfter(text, "0x", 16)) {
      return narrow(new BigInteger(text.substring(2), 16));
    }
    return null;
  }

  /** The core schema's float for {@code text}, or null. */
  public static Double parseFloat(String text) {
    if (text.isEmpty()) {
      return null;
    }
    if (isFloat(text)) {
      return Double.valueOf(text);
    }
    int sign = text.charAt(0) == '-' || text.charAt(0) == '+' ? 1 : 0;
    if (isOneOf(text, sign, ".inf", ".Inf", ".INF")) {
      return text.charAt(0) == '-' ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    }
    if (isOneOf(text, 0, ".nan", ".NaN", ".NAN")) {
      return Double.NaN;
    }
    return null;
  }

  /** {@code [-+]?[0-9]+} */
  private static boolean isDecimal(String text) {
    int i = text.charAt(0) == '-' || text.charAt(0) == '+' ? 1 : 0;
    return i < text.length() && digits(text, i, 10) == text.length();
  }

  /** {@code prefix} then one or more digits of {@code radix} (8 or 16), nothing else. */
  private static boolean hasDigitsAfter(String text, String prefix, int radix) {
    return text.length() > prefix.length()
        && text.startsWith(prefix)
        && digits(text, prefix.length(), radix) == text.length();
  }

  /** {@code [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?} */
  private static boolean isFloat(String text) {
    int n = text.length();
    int i = text.charAt(0) == '-' || text.charAt(0) == '+' ? 1 : 0;
    if (i < n && text.charAt(i) == '.') {
      int fraction = i + 1;
      i = digits(text, fraction, 10);
      if (i == fraction) {
        return false;
      }
    } else {
      int integer = i;
      i = digits(text, integer, 10);
      if (i == integer) {
        return false;
      }
      if (i < n && text.charAt(i) == '.') {
        i = digits(text, i + 1, 10);
      }
    }
    if (i < n && (text.charAt(i) == 'e' || text.charAt(i) == 'E')) {
      i++;
      if (i < n && (text.charAt(i) == '-' || text.charAt(i) == '+')) {
        i++;
      }
      int exponent = i;
      i = digits(text, exponent, 10);
      if (i == exponent) {
        return false;
      }
    }
    return i == n;
  }

  /**
   * The index of the first character at or after {@code from} that is not an ASCII digit of {@code
   * radix}.
   */
  private static int digits(String text, int from, int radix) {
    int i = from;
    while (i < text.length() && isDigit(text.charAt(i), radix)) {
      i++;
    }
    return i;
  }

  private static boolean isDigit(char c, int radix) {
    if (radix == 8) {
      return c >= '0' && c <= '7';
    }
    boolean decimal = c >= '0' && c <= '9';
    return radix == 10 ? decimal : decimal || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }

  /** Whether {@code text} from {@code from} on is exactly one of {@code options}. */
  private static boolean isOneOf(String text, int from, String... options) {
    for (String o : options) {
      if (text.length() - from == o.length() && text.startsWith(o, from)) {
        return true;
      }
    }
    return false;
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
